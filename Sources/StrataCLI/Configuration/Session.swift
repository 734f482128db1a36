#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
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
    ///   read as an empty database instead of being created.
    func migrator(create: Bool, onEvent: @escaping (MigrationEvent) -> Void = { _ in }) throws -> Migrator {
        let table = try options.historyTable()
        let catalog = try LocationReader.read(locations: options.locationList)
        return Migrator(database: try openDatabase(create: create), catalog: catalog, table: table, onEvent: onEvent)
    }

    private func openDatabase(create: Bool) throws -> any Database {
        switch url {
        case .sqlite(let path):
            if !create && path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
                return try SQLiteDatabase(path: ":memory:")
            }
            return try SQLiteDatabase(path: path)
        }
    }
}
