import Strata

/// The findings `migrate` reports under `safety = "rewrite"`: one about a statement that runs in
/// its safe form says so, at `info`, instead of warning as if the statement ran as written.
public enum RewrittenFindings {
    /// The rules whose harm the safe forms of ``SafeRewriter`` remove; other findings about the
    /// same statement (an unindexed foreign key, say) stand.
    static let resolvedRules: Set<String> = [
        "create-index-not-concurrent", "constraint-not-valid", "unique-without-index", "set-not-null", "add-column-volatile-default",
    ]

    /// - Parameter rewrites: the safe form of each migration that runs rewritten, by its path.
    public static func mark(_ findings: [LintFinding], rewrites: [String: MigrationRewrite]) -> [LintFinding] {
        findings.map { finding in
            guard resolvedRules.contains(finding.rule), let rewrite = rewrites[finding.path],
                  let index = rewrite.replacedLines.firstIndex(of: finding.line), index < rewrite.changes.count else { return finding }
            var noted = finding
            noted.severity = .info
            let change = rewrite.changes[index]
            noted.rewrittenAs = change.firstRange(of: ": ").map { String(change[$0.upperBound...]) } ?? change
            return noted
        }
    }
}
