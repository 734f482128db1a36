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
    }

    public var errors: Int { findings.filter { $0.severity == .error }.count }
    public var warnings: Int { findings.filter { $0.severity == .warning }.count }

    /// One line: how many of each.
    public var summary: String {
        func count(_ number: Int, _ word: String) -> String { "\(number) \(word)\(number == 1 ? "" : "s")" }
        return "\(count(errors, "error")), \(count(warnings, "warning")) in \(count(files, "file")) (PostgreSQL \(postgresVersion) rules)."
    }

    private enum CodingKeys: String, CodingKey {
        case scope, postgresVersion, files, findings, errors, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scope, forKey: .scope)
        try container.encode(postgresVersion, forKey: .postgresVersion)
        try container.encode(files, forKey: .files)
        try container.encode(findings, forKey: .findings)
        try container.encode(errors, forKey: .errors)
        try container.encode(warnings, forKey: .warnings)
    }
}
