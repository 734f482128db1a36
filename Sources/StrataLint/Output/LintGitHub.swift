/// GitHub Actions workflow commands: one `::error` or `::warning` annotation per finding,
/// which the pull request shows on the line.
extension LintReport {
    /// One annotation command per line, for a GitHub Actions step to print; empty without findings.
    public var githubAnnotations: String {
        findings.map { finding in
            let title = "\(finding.rule)\(finding.lock.map { " (\($0.rawValue))" } ?? "")"
            var message = "\(finding.message) \(finding.why)"
            if let safe = finding.safeSQL { message += "\nInstead:\n\(safe)" }
            return "::\(finding.severity == .info ? "notice" : finding.severity.rawValue) file=\(Self.property(finding.path)),line=\(finding.line),title=\(Self.property(title))::\(Self.data(message))"
        }.joined(separator: "\n")
    }

    /// A message, escaped as the runner reads it back.
    private static func data(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// A property value (file, title), where `:` and `,` are separators too.
    private static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
