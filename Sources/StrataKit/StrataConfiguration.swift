import Strata

/// Everything that says which migrations go to which database, and how: what the `strata`
/// command reads from its flags, `STRATA_*` variables and `strata.toml`, as one value a Swift
/// program builds in code. A program gets exactly the command line's behaviour from it.
///
/// ```swift
/// var configuration = StrataConfiguration(url: "sqlite:app.db", locations: ["migrations"])
/// configuration.codeMigrations = [AppMigrations.seedShelves]
/// try await configuration.migrate()
/// ```
public struct StrataConfiguration: Sendable {
    /// `sqlite:PATH`, `postgresql://…` or a libpq `key=value` string.
    public var url: String
    /// PostgreSQL: overrides the URL's user.
    public var user: String?
    /// PostgreSQL: overrides the URL's password. Never shown in output or errors.
    public var password: String?
    /// PostgreSQL: the managed schemas. The first holds the history table and leads the search
    /// path; missing ones are created by commands that write.
    public var schemas: [String]
    /// The history table; nil for `strata_schema_history` in the first schema.
    public var table: TableName?
    /// Folders holding SQL migrations, searched recursively. A missing folder is an error.
    public var locations: [String]
    /// The file layout, or nil to detect it for each location.
    public var layout: MigrationLayout?
    /// Values for `${name}` in SQL migrations.
    public var placeholders: [String: String]
    /// Migrations written in Swift, planned together with the SQL files.
    public var codeMigrations: [CodeMigration]
    /// How long to wait for another run's migration lock; nil waits as long as it takes.
    public var lockWait: Duration?
    /// Lock timeouts and retries for migrations on PostgreSQL.
    public var lockRetry: LockRetryPolicy
    /// Recorded as `installed_by`; nil records the database user.
    public var installedBy: String?
    /// How fast `-- strata:backfill` statements run (`backfill_*` in `strata.toml`).
    public var backfill = BackfillSettings()
    /// Another tool's history table to keep up to date beside Strata's (`history` in
    /// `strata.toml`); nil keeps Strata's alone.
    public var history: CompanionHistory?
    /// Refuse a location whose files do not match its `strata.sum` (folders without one are
    /// not checked).
    public var verifiesSums: Bool = true
    /// Refuse a migration whose placeholder has no value (see ``Placeholders/apply(to:leavingUnresolved:)``);
    /// false for reports that run no migration.
    public var requiresPlaceholderValues: Bool = true
    /// A Liquibase changelog to run instead of the migration folders (`changelog` in `strata.toml`);
    /// nil for the folders.
    public var changelog: ChangelogSettings?
    /// What to do about statements that would stall live traffic; nil for the database's
    /// default (``Safety/defaultValue(for:)``: rewrite on PostgreSQL, off on SQLite).
    public var safety: Safety?

    /// A configuration with `strata`'s defaults for everything not given: `sqlite:strata.db`, the
    /// `migrations` folder, the `strata_schema_history` table and the default lock retries.
    public init(
        url: String = DatabaseURL.defaultURL, locations: [String] = ["migrations"], codeMigrations: [CodeMigration] = [],
        schemas: [String] = [], table: TableName? = nil, layout: MigrationLayout? = nil, placeholders: [String: String] = [:],
        user: String? = nil, password: String? = nil, lockWait: Duration? = nil, lockRetry: LockRetryPolicy = LockRetryPolicy(),
        installedBy: String? = nil
    ) {
        self.url = url
        self.locations = locations
        self.codeMigrations = codeMigrations
        self.schemas = schemas
        self.table = table
        self.layout = layout
        self.placeholders = placeholders
        self.user = user
        self.password = password
        self.lockWait = lockWait
        self.lockRetry = lockRetry
        self.installedBy = installedBy
    }

    /// The history table: ``table``, placed in the first managed schema unless it names its own.
    public var historyTable: TableName {
        let name = table ?? .defaultHistory
        guard name.schema == nil, let first = schemas.first else { return name }
        return TableName(schema: first, name: name.name)
    }

    /// The parsed ``url``.
    public func databaseURL() throws(ConfigurationError) -> DatabaseURL {
        try DatabaseURL(parsing: url)
    }

    /// The migrations of the locations and the code migrations, before placeholders are
    /// replaced (their built-in values come from the database).
    public func readCatalog() throws -> Catalog {
        if verifiesSums {
            for location in locations { try MigrationSum.verify(folder: LocationReader.folderPath(of: location)) }
        }
        return try LocationReader.read(locations: locations, layout: layout).adding(codeMigrations)
    }
}
