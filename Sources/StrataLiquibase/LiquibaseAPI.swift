import StrataSchema

/// The version of Liquibase's checksum: 9 is what Liquibase 4.22 and later write; 8 is what
/// 3.5 to 4.21 wrote, read so a database they managed validates before it is upgraded.
public enum ChecksumVersion: Int, Sendable, Hashable, CaseIterable {
    case v8 = 8
    case v9 = 9
}

/// What the run is for, which decides the `${…}` properties scoped to a database or context
/// and the changes filtered by `dbms`.
public struct ChangelogOptions: Sendable, Hashable {
    /// Properties given by the caller (`-Dname=value`, `parameter.name` in config); they win
    /// over those the changelogs define.
    public var properties: [String: String]
    /// Liquibase's short name of the target (`postgresql`, `sqlite`); nil when not known yet.
    public var database: String?
    /// The `--contexts` of the run.
    public var contexts: Set<String>
    /// The `--label-filter` of the run.
    public var labels: LabelExpression

    public init(properties: [String: String] = [:], database: String? = nil, contexts: Set<String> = [], labels: LabelExpression = .empty) {
        self.properties = properties
        self.database = database
        self.contexts = contexts
        self.labels = labels
    }
}

extension SQLFlavor {
    /// Liquibase's short name for the engine, as `dbms` attributes write it.
    public var liquibaseName: String {
        switch self {
        case .postgresql: "postgresql"
        case .sqlite: "sqlite"
        }
    }
}
