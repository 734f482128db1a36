import StrataKit

/// `strata test`'s text report: a line per case, each failure with its step, message and
/// schema difference under it, warnings, and a summary.
enum TestReportPrinter {
    static func print(_ report: MigrationTestReport) {
        for testCase in report.cases {
            if let reason = testCase.skipped {
                Terminal.print("skip  \(testCase.name) (\(reason))")
            } else if testCase.failures.isEmpty {
                Terminal.print("ok    \(testCase.name)")
            } else {
                Terminal.print("FAIL  \(testCase.name)")
                for failure in testCase.failures {
                    Terminal.print("      \(failure.step.rawValue): \(failure.message)")
                    for difference in failure.differences { Terminal.print("        \(difference)") }
                }
            }
        }
        for warning in report.warnings { Terminal.print("warning: \(warning)") }
        let failed = report.cases.filter { !$0.failures.isEmpty }.count
        let skipped = report.cases.filter { $0.skipped != nil }.count
        Terminal.print("\(report.cases.count - failed - skipped) passed, \(failed) failed, \(skipped) skipped.")
    }
}
