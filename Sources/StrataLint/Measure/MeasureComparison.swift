/// Sets the lint findings beside what PostgreSQL did: where a finding's lock or rewrite is not
/// what was measured, the statement says so, and the measurement is the one to believe.
public enum MeasureComparison {
    /// `statements` with the disagreements of `findings` (matched by file and line) filled in.
    public static func compare(_ statements: [MeasuredStatement], with findings: [LintFinding]) -> [MeasuredStatement] {
        statements.map { statement in
            guard statement.status == .measured else { return statement }
            var compared = statement
            for finding in findings where finding.path == statement.path && finding.line == statement.line {
                compared.disagreements += disagreements(of: finding, with: statement)
            }
            return compared
        }
    }

    static func disagreements(of finding: LintFinding, with statement: MeasuredStatement) -> [MeasuredDisagreement] {
        guard let table = finding.table else { return [] }
        var found: [MeasuredDisagreement] = []
        let measured = statement.strongestLock(on: table)
        if let lock = finding.lock, measured != lock {
            let took = measured.map { "took \($0.rawValue)" } ?? "took no lock"
            found.append(MeasuredDisagreement(rule: finding.rule, message: "The rule says \(lock.rawValue) on \(table); PostgreSQL \(took) on it. The measurement wins."))
        }
        let rewrote = statement.rewrote(table)
        if (finding.work == .rewrite) != rewrote {
            found.append(MeasuredDisagreement(rule: finding.rule, message: rewrote
                ? "The rule does not expect \(table) to be rewritten; PostgreSQL rewrote it. The measurement wins."
                : "The rule says \(table) is rewritten; PostgreSQL kept its storage. The measurement wins."))
        }
        return found
    }
}
