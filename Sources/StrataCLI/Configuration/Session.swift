#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Strata
import StrataPostgres
import StrataSQLite

/// Builds what one command needs from its options: the catalog first (so a bad file stops the
/// command before any database is touched), then the database and the migrator.
struct Session {
    let settings: Settings
    let url: DatabaseURL

    /// - Parameter extra: the command's own settings flags (`--lock-timeout` and the like).
    init(_ options: GlobalOptions, extra: [String: TOMLDocument.Value] = [:]) throws {
        settings = try options.settings(extra: extra)
        url = try DatabaseURL(parsing: settings.string("url") ?? DatabaseURL.defaultURL)
    }

    /// - Parameter create: false for commands that only read: a missing database file is then
    ///   read as an empty database instead of being created, and nothing is asked of the
    ///   database that only writing needs.
    func migrator(create: Bool, onEvent: @escaping (MigrationEvent) -> Void = { _ in }) throws -> Migrator {
        let table = try settings.historyTable()
        let values = settings.placeholders.mapValues(\.value)
        let files = try LocationReader.read(locations: settings.list("locations"), layout: try settings.layout())
        let database = try openDatabase(create: create)
        // Reading only, and no placeholders: nothing more to ask the database.
        let needsPlaceholders = files.all.contains { SQLText.containsPlaceholder($0.sql) }
        let user = create || needsPlaceholders ? try database.sessionUser() ?? Migrator.currentUser : Migrator.currentUser
        let catalog = needsPlaceholders
            ? try Placeholders(values: values, builtIns: try builtIns(database, user: user, table: table)).apply(to: files)
            : files
        return Migrator(database: database, catalog: catalog, table: table, installedBy: user, onEvent: onEvent)
    }

    /// `${strata:…}` values: who runs, where, and when.
    private func builtIns(_ database: any Database, user: String, table: TableName) throws -> [String: String] {
        let (name, schema): (String, String) = switch url {
        case .sqlite(let path): (path, table.schema ?? "main")
        case .postgres:
            try database.query("SELECT current_database(), current_schema()", []).first.map {
                ($0[0].string ?? "", table.schema ?? $0[1].string ?? "public")
            } ?? ("", table.schema ?? "public")
        }
        return ["user": user, "database": name, "schema": schema, "table": table.name, "timestamp": Self.timestamp()]
    }

    /// The current UTC time as `yyyy-MM-dd HH:mm:ss`.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Where the database is, for people: without the password.
    var display: String { url.display }

    private func openDatabase(create: Bool) throws -> any Database {
        switch url {
        case .sqlite(let path):
            guard settings.schemas.isEmpty else {
                throw ConfigurationError("--schemas applies to PostgreSQL only; a SQLite database has one schema.")
            }
            if !create && path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
                return try SQLiteDatabase(path: ":memory:")
            }
            return try SQLiteDatabase(path: path)
        case .postgres(let conninfo):
            let database = try PostgresDatabase(
                conninfo: conninfo, user: settings.string("user"), password: settings.string("password"), schemas: settings.schemas)
            // Standard error, so that a report printed with --json stays valid JSON.
            database.onNotice = { Terminal.error("  \($0)") }
            database.onLockWait = { Terminal.error($0) }
            database.lockWait = settings.number("lock_wait").map { .milliseconds(Int($0 * 1000)) }
            if create { try database.createMissingSchemas() }
            return database
        }
    }
}
