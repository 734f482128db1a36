#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataPostgres
import StrataSQLite

/// Builds what one command needs from its options: the catalog first (so a bad file stops the
/// command before any database is touched), then the database and the migrator.
struct Session {
    let options: GlobalOptions
    let url: DatabaseURL

    init(_ options: GlobalOptions) throws {
        self.options = options
        self.url = try options.databaseURL()
    }

    /// - Parameter create: false for commands that only read: a missing database file is then
    ///   read as an empty database instead of being created, and nothing is asked of the
    ///   database that only writing needs.
    func migrator(create: Bool, onEvent: @escaping (MigrationEvent) -> Void = { _ in }) throws -> Migrator {
        let table = try options.historyTable()
        let catalog = try LocationReader.read(locations: options.locationList, layout: options.format)
        let database = try openDatabase(create: create)
        let migrator = Migrator(database: database, catalog: catalog, table: table, onEvent: onEvent)
        if create, let user = try database.sessionUser() { migrator.installedBy = user }
        return migrator
    }

    /// Where the database is, for people: without the password.
    var display: String { url.display }

    private func openDatabase(create: Bool) throws -> any Database {
        switch url {
        case .sqlite(let path):
            guard options.schemaList.isEmpty else {
                throw ConfigurationError("--schemas applies to PostgreSQL only; a SQLite database has one schema.")
            }
            if !create && path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
                return try SQLiteDatabase(path: ":memory:")
            }
            return try SQLiteDatabase(path: path)
        case .postgres(let conninfo):
            let database = try PostgresDatabase(conninfo: conninfo, schemas: options.schemaList)
            database.onNotice = { Terminal.print("  \($0)") }
            database.onLockWait = { Terminal.error($0) }
            database.lockWait = options.lockWait.map { .milliseconds(Int($0 * 1000)) }
            if create { try database.createMissingSchemas() }
            return database
        }
    }
}
