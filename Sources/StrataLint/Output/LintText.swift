/// The human report: findings grouped by file, each with its lock, why it hurts, and the safe SQL.
extension LintReport {
    /// The report for a terminal: findings by file, each with its lock, why and safe SQL, then
    /// the summary line.
    public var text: String {
        var lines = ["Linted \(scope)."]
        var files: [String] = []
        for finding in findings where !files.contains(finding.path) { files.append(finding.path) }
        for path in files {
            lines.append("")
            lines.append(path)
            for finding in findings where finding.path == path {
                lines.append("  \(finding.line): \(finding.severity.rawValue) [\(finding.rule)] \(finding.message)")
                if let lock = finding.lock {
                    let work = finding.work.map { $0 == .scan ? ", reads every row" : ", rewrites it" } ?? ""
                    lines.append("     lock: \(lock.rawValue)\(finding.table.map { " on \($0)" } ?? "")\(work)")
                }
                lines.append("     why: \(finding.why)")
                if let safe = finding.safeSQL {
                    lines.append("     instead:")
                    lines += safe.split(separator: "\n", omittingEmptySubsequences: false).map { "       \($0)" }
                }
            }
        }
        lines.append("")
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}
