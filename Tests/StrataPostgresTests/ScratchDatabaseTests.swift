import Foundation
import Strata
import StrataPostgres
import StrataTestSupport
import Testing

/// The temporary databases diff, drift and generate replay migrations on.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here (pg_config --bindir has no initdb); skipping"))
struct ScratchDatabaseTests {
    let server = TestPostgres.shared!

    private func exists(_ name: String) throws -> Bool {
        try server.psql("SELECT count(*) FROM pg_database WHERE datname = '\(name)'").trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    @Test func aScratchDatabaseIsEmptyAndDroppedWhenReleasedEvenWithSessionsOpen() throws {
        let connection = try PostgresDatabase(conninfo: server.url(database: try server.createDatabase()))
        var scratch: ScratchPostgresDatabase? = try ScratchPostgresDatabase(on: connection)
        let name = try #require(scratch?.name)
        #expect(try exists(name))
        #expect(try scratch?.database.query("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace", []).first?.first == .text("0"))
        let lingering = try connection.reconnect(toDatabase: name)
        withExtendedLifetime(lingering) { scratch = nil }
        #expect(try !exists(name), "dropped with FORCE although a session was still connected to it")
    }
}
