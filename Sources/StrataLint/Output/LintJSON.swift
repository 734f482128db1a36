/// `strata lint --json`, written by hand in exactly the form `JSONEncoder` gives with pretty
/// printing and sorted keys: on 10,000 statements the generic encoder took a fifth of the run.
/// The text is assembled as UTF-8 bytes and made a string once.
extension LintReport {
    /// The report as pretty-printed JSON with sorted keys, as the other `--json` outputs.
    public var json: String {
        var out: [UInt8] = []
        out.reserveCapacity(findings.count * 1024)
        out += "{\n  \"errors\" : \(errors),\n  \"files\" : \(files),\n  \"findings\" : [".utf8
        if findings.isEmpty {
            out += "\n\n  ],\n".utf8
        } else {
            for (index, finding) in findings.enumerated() {
                out += (index == 0 ? "\n" : ",\n").utf8
                finding.writeJSON(to: &out)
            }
            out += "\n  ],\n".utf8
        }
        out += "  \"postgresVersion\" : \(postgresVersion),\n  \"scope\" : ".utf8
        Self.writeString(scope, to: &out)
        out += ",\n  \"warnings\" : \(warnings)\n}".utf8
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, `/` left alone.
    /// Those are all ASCII, so the bytes between them are copied in runs.
    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var plain = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out += bytes[plain..<index]
                let escape = switch byte {
                case UInt8(ascii: "\""): "\\\""
                case UInt8(ascii: "\\"): "\\\\"
                case 0x0A: "\\n"
                case 0x0D: "\\r"
                case 0x09: "\\t"
                case 0x08: "\\b"
                case 0x0C: "\\f"
                default: "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                }
                out += escape.utf8
                plain = index + 1
            }
            out += bytes[plain...]
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension LintFinding {
    /// The finding's object, indented as an item of `findings`; absent fields left out.
    fileprivate func writeJSON(to out: inout [UInt8]) {
        out += "    {\n      \"line\" : \(line)".utf8
        func text(_ key: String, _ value: String?) {
            guard let value else { return }
            out += ",\n      \"\(key)\" : ".utf8
            LintReport.writeString(value, to: &out)
        }
        text("lock", lock?.rawValue)
        text("message", message)
        text("path", path)
        text("rule", rule)
        text("safeSQL", safeSQL)
        text("severity", severity.rawValue)
        text("table", table)
        text("why", why)
        text("work", work?.rawValue)
        out += "\n    }".utf8
    }
}
