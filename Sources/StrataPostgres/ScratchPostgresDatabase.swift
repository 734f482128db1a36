#if canImport(Glibc)
import Glibc
#endif
import Strata

/// A new, empty database on the server of a connection, for replaying migrations or loading a
/// schema file where nothing else can see it (`strata diff`, `drift`, `generate`). It is
/// dropped when the value goes away, with `FORCE`, so no session can keep it alive.
public final class ScratchPostgresDatabase {
    /// The scratch database's own connection.
    public let database: PostgresDatabase
    /// The database's name: `strata_scratch_<pid>_<random>`.
    public let name: String
    private let server: PostgresDatabase

    /// - Parameter server: a connection to the server, whose user may create databases.
    public init(on server: PostgresDatabase) throws {
        self.server = server
        name = "strata_scratch_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        do {
            try server.execute("CREATE DATABASE \(server.dialect.quote(name))")
        } catch let error as DatabaseError {
            throw DatabaseError(
                message: "cannot create a scratch database to replay migrations on (\(error.message)). Give the user the CREATEDB privilege, or pass --dev-url with a server where it has it",
                code: error.code)
        }
        database = try server.reconnect(toDatabase: name)
    }

    deinit {
        try? server.execute("DROP DATABASE IF EXISTS \(server.dialect.quote(name)) WITH (FORCE)")
    }
}
