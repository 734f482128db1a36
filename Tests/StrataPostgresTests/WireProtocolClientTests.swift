import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Strata
@testable import StrataPostgres
import StrataTestSupport
import Testing

/// Strata's own protocol client against a real server: every way of logging in that it speaks,
/// what it hands to libpq, and statements, errors, notices and `COPY` crossing it intact.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here (pg_config --bindir has no initdb); skipping"))
struct WireProtocolClientTests {
    let server = TestPostgres.shared!
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    /// SCRAM-SHA-256, MD5 and a cleartext password, over TCP without TLS.
    @Test(arguments: ["strata_pw", "strata_md5", "strata_clear"])
    func eachPasswordMethodLogsInWithoutLibpq(role: String) throws {
        let connection = try PostgresDatabase(conninfo: server.plainURL(database: database, role: role))
        #expect(connection.isWireProtocolClient)
        #expect(try connection.sessionUser() == role)
        #expect(connection.display == "postgresql://\(role)@localhost:\(server.port)/\(database)")
    }

    @Test(arguments: ["strata_pw", "strata_md5", "strata_clear"])
    func aWrongPasswordIsRefusedInOneParagraphWithoutThePassword(role: String) throws {
        let wrong = "Wr0ng-\(role)-Secret"
        let error = #expect(throws: DatabaseError.self) {
            try PostgresDatabase(conninfo: server.plainURL(database: database, role: role, password: wrong))
        }
        let message = try #require(error?.description)
        #expect(message.contains("cannot connect to PostgreSQL: connection to server at \"localhost\""))
        #expect(message.contains("password authentication failed for user \"\(role)\""))
        #expect(!message.contains(wrong) && !message.contains("\n"))
    }

    @Test func aPasswordTheServerAsksForAndNobodyGaveIsNamedAsLibpqNamesIt() throws {
        let url = "postgresql://strata_pw@localhost:\(server.port)/\(database)?sslmode=disable&passfile=/nonexistent/pgpass"
        let error = #expect(throws: DatabaseError.self) { try PostgresDatabase(conninfo: url) }
        #expect(error?.message.contains("fe_sendauth: no password supplied") == true)
    }

    @Test func theSocketIsSpokenToDirectlyAndTLSGoesThroughLibpq() throws {
        #expect(try PostgresDatabase(conninfo: server.url(database: database)).isWireProtocolClient)
        let required = try PostgresDatabase(conninfo: server.passwordURL(database: database))
        #expect(!required.isWireProtocolClient)
        #expect(try required.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", []).first?.first == .text("t"))
        // `prefer` (libpq's default) on TCP: this server offers TLS, so libpq takes the connection.
        let preferred = "postgresql://\(server.passwordRole):\(server.password)@localhost:\(server.port)/\(database)?sslmode=prefer"
        let viaLibpq = try PostgresDatabase(conninfo: preferred)
        #expect(!viaLibpq.isWireProtocolClient)
        #expect(try viaLibpq.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", []).first?.first == .text("t"))
    }

    @Test func parametersNullsAndQuotesCrossIntact() throws {
        let connection = try PostgresDatabase(conninfo: server.url(database: database))
        let rows = try connection.query("SELECT $1::text, $2::text, $3::text, length($1)", [.text("naïve 'quoted' \\ ✓"), .null, .text("")])
        #expect(rows == [[.text("naïve 'quoted' \\ ✓"), .null, .text(""), .text("18")]])
        // A write kept for the commit goes as a literal; a backslash makes it an E'' string.
        try connection.execute("CREATE TABLE notes (body text)", [])
        try connection.inTransaction {
            try connection.executeBeforeCommit("INSERT INTO notes VALUES ($1), ($2)", [.text(#"C:\temp's"#), .null])
        }
        #expect(try connection.query("SELECT body FROM notes ORDER BY body NULLS LAST", []) == [[.text(#"C:\temp's"#)], [.null]])
    }

    @Test func errorsCarryTheirSQLStateDetailAndHintAndTheSessionGoesOn() throws {
        let connection = try PostgresDatabase(conninfo: server.url(database: database))
        try connection.execute("CREATE TABLE t (id int PRIMARY KEY)", [])
        try connection.execute("INSERT INTO t VALUES (1)", [])
        let error = #expect(throws: DatabaseError.self) { try connection.execute("INSERT INTO t VALUES (1)", []) }
        #expect(error?.code == "23505")
        #expect(error?.message.contains("(detail: Key (id)=(1) already exists.)") == true)
        #expect(try connection.query("SELECT count(*) FROM t", []) == [[.text("1")]])
    }

    @Test func noticesCopyAndScriptsCrossIntact() throws {
        let connection = try PostgresDatabase(conninfo: server.url(database: database))
        var notices: [String] = []
        connection.onNotice = { notices.append($0) }
        try connection.executeScript("""
            CREATE TABLE c (a int, b text);
            COPY c FROM STDIN;
            1\tone
            2\t\\N
            \\.
            DO $$ BEGIN RAISE NOTICE 'copied %', (SELECT count(*) FROM c); END $$;
            """)
        #expect(notices == ["NOTICE: copied 2"])
        #expect(try connection.query("SELECT a, b FROM c ORDER BY a", []) == [[.text("1"), .text("one")], [.text("2"), .null]])
        let failure = #expect(throws: ScriptError.self) { try connection.executeScript("SELECT 1;\nSELECT * FROM missing;") }
        #expect(failure?.line == 2 && failure?.code == "42P01")
    }

    /// `forEachRow` hands rows over while it reads them (no result held whole); a body that
    /// throws stops getting rows, its error comes out once the rest is read past, and the
    /// session goes on. Through both clients: the socket (Strata's) and TLS (libpq).
    @Test(arguments: [false, true])
    func rowsGoToTheBodyOneByOneAndABodyThatThrowsLeavesTheSessionReady(tls: Bool) throws {
        let connection = try PostgresDatabase(conninfo: tls ? server.passwordURL(database: database) : server.url(database: database))
        #expect(connection.isWireProtocolClient == !tls)
        var total = 0
        var count = 0
        try connection.forEachRow("SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g", []) { row in
            total += Int(row[0].string ?? "") ?? 0
            count += 1
        }
        #expect(count == 20000 && total == 20000 * 20001 / 2)
        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try connection.forEachRow("SELECT g FROM generate_series(1, 5000) g", []) { _ in
                seen += 1
                if seen == 10 { throw Enough() }
            }
        }
        #expect(seen == 10)
        #expect(try connection.query("SELECT 42", []) == [[.text("42")]])
    }

    /// A migration's `COPY … TO STDOUT` is read to its end and reported as discarded; libpq
    /// handed back the same result forever until its data was read, and the run hung.
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func copyToStdoutIsReadPastWithAWarning(tls: Bool) throws {
        let connection = try PostgresDatabase(conninfo: tls ? server.passwordURL(database: database) : server.url(database: database))
        #expect(connection.isWireProtocolClient == !tls)
        var notices: [String] = []
        connection.onNotice = { notices.append($0) }
        try connection.executeScript("COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT;\nCREATE TABLE after_copy_\(tls ? "tls" : "socket") (a int);")
        #expect(notices == ["WARNING: COPY … TO STDOUT sent 3 rows that strata discards: a migration's output goes nowhere. Write them to a file on the server (COPY … TO '/path'), or remove the statement."])
        #expect(try connection.query("SELECT count(*) FROM after_copy_\(tls ? "tls" : "socket")", []) == [[.text("0")]])
    }

    @Test func aSessionTheServerEndsFailsItsNextStatementWithAnError() throws {
        let connection = try PostgresDatabase(conninfo: server.url(database: database))
        let pid = try #require(connection.query("SELECT pg_backend_pid()", []).first?.first)
        #expect(throws: Never.self) { try server.psql("SELECT pg_terminate_backend(\(pid.string ?? "0"))") }
        #expect(throws: DatabaseError.self) { try connection.query("SELECT 1", []) }
        let again = #expect(throws: DatabaseError.self) { try connection.query("SELECT 1", []) }
        #expect(again?.message.contains("server closed the connection unexpectedly") == true, "\(String(describing: again))")
    }

    /// `connect_timeout` bounds a server that accepts the connection and never answers (the
    /// listening socket below never accepts; the kernel completes the handshake for it).
    @Test(.timeLimit(.minutes(1))) func aServerThatNeverAnswersTimesOutAsConnectTimeoutSays() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let url = "postgresql://strata_pw:\(server.password)@127.0.0.1:\(port)/\(database)?sslmode=disable&connect_timeout=2"
        let error = #expect(throws: DatabaseError.self) { try PostgresDatabase(conninfo: url) }
        #expect(error?.message.contains("connection to server at \"127.0.0.1\" (127.0.0.1), port \(port) failed: timeout expired") == true,
                "\(String(describing: error))")
    }
}
