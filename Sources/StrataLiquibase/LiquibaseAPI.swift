import Foundation
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

extension LiquibaseChangelog {
    /// Reads the changelog at `path` and everything it includes.
    ///
    /// - Parameters:
    ///   - path: the root changelog, relative to `searchPath` (it is recorded as FILENAME the way
    ///     it is written here, as Liquibase records its `--changelog-file`) or absolute.
    ///   - searchPath: the folder non-relative includes resolve against (Liquibase's search
    ///     path); the current directory by default.
    ///   - options: caller properties, target database and contexts, which decide scoped
    ///     properties and drop changesets whose `dbms` excludes the database.
    /// - Throws: ``ChangelogError`` naming the file and line.
    public static func load(path: String, searchPath: String = ".", options: ChangelogOptions = ChangelogOptions()) throws(ChangelogError) -> LiquibaseChangelog {
        var loader = ChangelogLoader(options: options, searchPath: URL(fileURLWithPath: searchPath))
        try loader.load(path: path, inherited: .init(), includedAt: nil)
        let first = loader.changeSets.filter { $0.runOrder == .first }
        let middle = loader.changeSets.filter { $0.runOrder == nil }
        let last = loader.changeSets.filter { $0.runOrder == .last }
        return LiquibaseChangelog(
            path: ChangelogLoader.normalize(path), changeSets: first + middle + last,
            preconditions: loader.preconditions, properties: loader.properties.global
        )
    }
}
