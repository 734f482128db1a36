import Strata

/// One migration to lint: its file, its SQL, and how it runs.
public struct LintSource: Sendable, Equatable {
    /// The migration file's path, as findings report it.
    public let path: String
    /// The file's SQL text.
    public let sql: String
    /// False for a migration read only for what it creates (an applied one before the pending
    /// ones): its findings are not reported.
    public let reported: Bool
    /// What the file layout says about running it (dbmate's `transaction:false`).
    let layoutDirectives: ScriptDirectives

    /// A file read as text: only its own `-- strata:` directives say how it runs.
    public init(path: String, sql: String, reported: Bool = true) {
        self.init(path: path, sql: sql, reported: reported, layoutDirectives: ScriptDirectives())
    }

    /// A migration of the catalog, as Strata will run it.
    /// - Throws: ``CatalogError`` when its file can no longer be read or changed since the
    ///   catalog was read.
    public init(_ migration: Migration, reported: Bool = true) throws {
        self.init(path: migration.path, sql: try migration.sql, reported: reported, layoutDirectives: migration.directives)
    }

    private init(path: String, sql: String, reported: Bool, layoutDirectives: ScriptDirectives) {
        self.path = path
        self.sql = sql
        self.reported = reported
        self.layoutDirectives = layoutDirectives
    }
}

/// What `strata.toml`'s `[lint]` and the command line decide about the rules.
public struct LintOptions: Sendable, Equatable {
    /// The PostgreSQL major version the migrations will run on.
    public var postgresVersion: Int
    /// Rules that do not run.
    public var disabled: Set<String>
    /// Severities that replace a rule's own.
    public var severities: [String: LintSeverity]

    /// By default: PostgreSQL 15, every rule on, each at its own severity.
    public init(postgresVersion: Int = 15, disabled: Set<String> = [], severities: [String: LintSeverity] = [:]) {
        self.postgresVersion = postgresVersion
        self.disabled = disabled
        self.severities = severities
    }

    /// Every rule id the linter knows, for checking configurations.
    public static var ruleIDs: Set<String> { LintRule.ids }
}
