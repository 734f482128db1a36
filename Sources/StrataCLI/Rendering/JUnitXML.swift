import StrataKit

/// `strata test`'s report as JUnit XML, which CI systems (GitHub Actions reporters, GitLab,
/// Jenkins) show as test results: one testcase per migration and check, a failure element per
/// failed step with the schema difference in its text.
enum JUnitXML {
    static func document(for report: MigrationTestReport) -> String {
        let failures = report.cases.filter { !$0.failures.isEmpty }.count
        let skipped = report.cases.filter { $0.skipped != nil }.count
        let counts = "tests=\"\(report.cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\""
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"strata test\" \(counts)>",
            "  <testsuite name=\"strata test\" \(counts)>",
        ]
        for testCase in report.cases {
            let opening = "    <testcase classname=\"strata.\(testCase.kind.rawValue)\" name=\"\(escape(testCase.name))\""
            if let reason = testCase.skipped {
                lines += [opening + ">", "      <skipped message=\"\(escape(reason))\"/>", "    </testcase>"]
            } else if testCase.failures.isEmpty {
                lines.append(opening + "/>")
            } else {
                lines.append(opening + ">")
                for failure in testCase.failures {
                    let message = "\(failure.step.rawValue): \(failure.message)"
                    let text = ([message] + failure.differences.map(\.description)).joined(separator: "\n")
                    lines.append("      <failure type=\"\(escape(failure.step.rawValue))\" message=\"\(escape(message))\">\(escape(text, attribute: false))</failure>")
                }
                lines.append("    </testcase>")
            }
        }
        if !report.warnings.isEmpty {
            lines.append("    <system-out>\(escape(report.warnings.map { "warning: \($0)" }.joined(separator: "\n"), attribute: false))</system-out>")
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n")
    }

    /// Text for an attribute or an element; control characters XML 1.0 cannot hold become
    /// spaces, and line breaks in attributes references, which parsers keep.
    static func escape(_ text: String, attribute: Bool = true) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\n", "\t", "\r": if attribute { escaped += "&#\(scalar.value);" } else { escaped.unicodeScalars.append(scalar) }
            case _ where scalar.value < 0x20: escaped += " "
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
