#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Strata
import StrataLint
import StrataPostgres
import StrataSQLite

/// Opening the database a configuration names, and the migrator over it.
extension StrataConfiguration {
    /// A migrator over the configured database, with the catalog read and its placeholders
    /// replaced; a bad migration file stops it before any database is opened.
    ///
    /// - Parameters:
    ///   - create: false for commands that only read: a missing SQLite file is then read as
    ///     an empty database instead of being created, and no schema is created.
    ///   - onEvent: everything the migrator does, server notices and lock waits included.
    public func makeMigrator(create: Bool = true, onEvent: @escaping (MigrationEvent) -> Void = { _ in }) throws -> Migrator {
        let location = try databaseURL()
        let files = try readCatalog()
        let metrics = MigrationMetrics()
        return try migrator(on: try open(location, create: create), at: location, catalog: files) { event in
            metrics.record(event)
            onEvent(event)
        }
    }

    /// A migrator over an open database (the configured one, or a scratch database): the
    /// catalog's placeholders replaced, server notices and lock waits reported as events.
    func migrator(
        on database: any Database, at location: DatabaseURL, catalog files: Catalog, onEvent: @escaping (MigrationEvent) -> Void
    ) throws -> Migrator {
        var catalog = files
        var user = installedBy
        if files.all.contains(where: \.mentionsPlaceholders) {
            let known = try user ?? database.sessionUser() ?? Migrator.currentUser
            catalog = try Placeholders(values: placeholders, builtIns: try builtIns(location, database, user: known))
                .apply(to: files, leavingUnresolved: !requiresPlaceholderValues)
            user = known
        }
        let migrator = Migrator(database: database, catalog: catalog, table: historyTable, installedBy: user, onEvent: onEvent)
        migrator.companion = history
        migrator.rewriter = try rewriter(for: location)
        migrator.backfillReader = PostgresBackfillReader()
        if let postgres = database as? PostgresDatabase {
            postgres.onNotice = { [weak migrator] in migrator?.onEvent(.notice($0)) }
            postgres.onLockWait = { [weak migrator] in migrator?.onEvent(.waitingForLock($0)) }
        }
        return migrator
    }

    func open(_ location: DatabaseURL, create: Bool) throws -> any Database {
        try checkRanges()
        switch location {
        case .sqlite(let path):
            guard schemas.isEmpty else {
                throw ConfigurationError("schemas apply to PostgreSQL only; a SQLite database has one schema. Remove them, or use a postgresql:// URL.")
            }
            if !create && path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
                return try SQLiteDatabase(path: ":memory:")
            }
            return try SQLiteDatabase(path: path)
        case .postgres(let conninfo):
            let database = try PostgresDatabase(conninfo: conninfo, user: user, password: password, schemas: schemas)
            database.lockWait = lockWait
            if create { try createMissingSchemas(in: database) }
            return database
        }
    }

    /// Creates the configured schemas a PostgreSQL database lacks, as ``makeMigrator(create:onEvent:)``
    /// does when it may create; for a caller that opened it with `create: false` to look first
    /// (`strata migrate` lints before it changes anything). Nothing on SQLite.
    public func createMissingSchemas(in database: any Database) throws {
        try (database as? PostgresDatabase)?.createMissingSchemas()
    }

    /// `${strata:…}` values: who runs, where, and when.
    private func builtIns(_ location: DatabaseURL, _ database: any Database, user: String) throws -> [String: String] {
        let table = historyTable
        let (name, schema): (String, String) = switch location {
        case .sqlite(let path): (path, table.schema ?? "main")
        case .postgres:
            try database.query("SELECT current_database(), current_schema()", []).first.map {
                ($0[0].string ?? "", table.schema ?? $0[1].string ?? "public")
            } ?? ("", table.schema ?? "public")
        }
        return ["user": user, "database": name, "schema": schema, "table": table.name, "timestamp": Self.timestamp()]
    }

    /// The script `strata sql` writes: no database at all, the built-ins from what is known.
    public func offlineScript(
        dialect: any SQLDialect, from: MigrationVersion?, to target: MigrationTarget, undo: Bool
    ) throws -> String {
        try OfflineScript.make(catalog: try offlineCatalog(), dialect: dialect, table: historyTable, installedBy: offlineUser,
                               from: from, to: target, undo: undo, lockRetry: lockRetry,
                               rewriter: dialect is PostgresDialect ? try rewriter(for: .postgres(conninfo: "")) : nil,
                               backfillReader: PostgresBackfillReader())
    }

    /// The safe rewrites for a database, when ``safety`` (or its default) asks for them and
    /// PostgreSQL's parser is installed; without it migrations run as written.
    func rewriter(for location: DatabaseURL, parserInstalled: Bool = SafeRewriter.isAvailable) throws -> SafeRewriter? {
        guard case .postgres = location, (safety ?? Safety.defaultValue(for: location)) == .rewrite, parserInstalled else { return nil }
        return SafeRewriter()
    }

    /// The catalog with its placeholders replaced from what is known without a database
    /// (`strata sql`, and `strata lint` when no database is reachable).
    public func offlineCatalog() throws -> Catalog {
        try offlinePlaceholders.apply(to: try readCatalog())
    }

    /// The placeholder values known without a database (`${strata:database}` is empty), for
    /// `strata sql` and for files `strata lint` is given one by one.
    public var offlinePlaceholders: Placeholders {
        let table = historyTable
        let builtIns = ["user": offlineUser, "database": "", "schema": table.schema ?? "", "table": table.name, "timestamp": Self.timestamp()]
        return Placeholders(values: placeholders, builtIns: builtIns)
    }

    private var offlineUser: String { installedBy ?? Migrator.currentUser }

    /// The current UTC time as `yyyy-MM-dd HH:mm:ss`, for `${strata:timestamp}`.
    static func timestamp() -> String {
        utcNow(format: "%Y-%m-%d %H:%M:%S")
    }

    /// The current UTC time in a `strftime` format.
    package static func utcNow(format: String) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
