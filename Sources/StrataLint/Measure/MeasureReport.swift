/// What `strata lint --measure` prints: the lint report, and beside it what each statement did
/// on a scratch copy of the target's schema, with the findings the measurement corrects.
public struct MeasureReport: Sendable, Equatable, Encodable {
    /// The static findings, as `strata lint` reports them.
    public let lint: LintReport
    /// Every statement of the linted migrations, in order, with its disagreements filled in.
    public let statements: [MeasuredStatement]

    /// The report, the statements compared with the findings.
    public init(lint: LintReport, statements: [MeasuredStatement]) {
        self.lint = lint
        self.statements = MeasureComparison.compare(statements, with: lint.findings)
    }

    /// How many statements PostgreSQL refused: their measurement is missing.
    public var failures: Int { statements.filter { $0.status == .failed }.count }

    /// The lint report, then the statements by file: locks, rewrites, and where a rule was wrong.
    public var text: String {
        var lines = [lint.text, "", "Measured on a scratch database with the target's schema and no rows, each statement in a transaction of its own:"]
        var files: [String] = []
        for statement in statements where !files.contains(statement.path) { files.append(statement.path) }
        for path in files {
            lines += ["", path]
            for statement in statements where statement.path == path {
                let first = statement.sql.split(separator: "\n").first.map(String.init) ?? statement.sql
                lines.append("  \(statement.line): \(first.count > 72 ? first.prefix(71) + "…" : first)")
                switch statement.status {
                case .measured:
                    lines.append("     locks: \(statement.locks.isEmpty ? "none on existing relations" : Self.byRelation(statement.locks))")
                    lines.append("     rewrites: \(statement.rewritten.isEmpty ? "nothing" : statement.rewritten.joined(separator: ", "))")
                case .outsideTransaction:
                    lines.append("     not measured: PostgreSQL runs it only outside a transaction, and its locks end with it before pg_locks can be read")
                case .failed:
                    lines.append("     failed: \(statement.error ?? "PostgreSQL refused it")")
                }
                lines += statement.disagreements.map { "     [\($0.rule)] \($0.message)" }
            }
        }
        let disagreements = statements.map(\.disagreements.count).reduce(0, +)
        lines += ["", "\(statements.count) statement\(statements.count == 1 ? "" : "s") measured, \(disagreements) disagreement\(disagreements == 1 ? "" : "s") with the rules, \(failures) failed."]
        return lines.joined(separator: "\n")
    }

    /// `accounts (table): ACCESS EXCLUSIVE, SHARE; accounts_pkey (index): ACCESS EXCLUSIVE`,
    /// the relation holding the strongest lock first.
    private static func byRelation(_ locks: [MeasuredLock]) -> String {
        var relations: [String] = []
        for lock in locks where !relations.contains(lock.relation) { relations.append(lock.relation) }
        return relations.map { relation in
            let held = locks.filter { $0.relation == relation }
            return "\(relation) (\(held[0].kind)): " + held.map(\.mode.rawValue).joined(separator: ", ")
        }.joined(separator: "; ")
    }
}
