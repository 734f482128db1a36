/// What `strata lint` found, and over what: the value every output format renders.
public struct LintReport: Sendable, Equatable, Encodable {
    /// Which migrations were linted, in words ("the 2 pending migrations of …").
    public let scope: String
    /// The PostgreSQL major version whose rules applied.
    public let postgresVersion: Int
    /// How many migration files were linted.
    public let files: Int
    /// The findings, as ``Linter/lint(_:)`` returns them: file by file, by line within a file.
    public let findings: [LintFinding]

    /// A report that counts the errors and warnings among `findings`.
    public init(scope: String, postgresVersion: Int, files: Int, findings: [LintFinding]) {
        self.scope = scope
        self.postgresVersion = postgresVersion
        self.files = files
        self.findings = findings
        errors = findings.filter { $0.severity == .error }.count
        warnings = findings.filter { $0.severity == .warning }.count
    }

    /// How many findings are errors: any fails `strata lint`.
    public let errors: Int
    /// How many findings are warnings.
    public let warnings: Int

    /// One line: how many of each.
    public var summary: String {
        func count(_ number: Int, _ word: String) -> String { "\(number) \(word)\(number == 1 ? "" : "s")" }
        return "\(count(errors, "error")), \(count(warnings, "warning")) in \(count(files, "file")) (PostgreSQL \(postgresVersion) rules)."
    }
}
