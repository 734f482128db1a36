/// What `strata lint` found, and over what: the value every output format renders.
public struct LintReport: Sendable, Equatable, Encodable {
    /// Which migrations were linted, in words ("the 2 pending migrations of …").
    public let scope: String
    public let postgresVersion: Int
    /// How many migration files were linted.
    public let files: Int
    public let findings: [LintFinding]

    public init(scope: String, postgresVersion: Int, files: Int, findings: [LintFinding]) {
        self.scope = scope
        self.postgresVersion = postgresVersion
        self.files = files
        self.findings = findings
        errors = findings.filter { $0.severity == .error }.count
        warnings = findings.filter { $0.severity == .warning }.count
    }

    public let errors: Int
    public let warnings: Int

    /// One line: how many of each.
    public var summary: String {
        func count(_ number: Int, _ word: String) -> String { "\(number) \(word)\(number == 1 ? "" : "s")" }
        return "\(count(errors, "error")), \(count(warnings, "warning")) in \(count(files, "file")) (PostgreSQL \(postgresVersion) rules)."
    }
}
