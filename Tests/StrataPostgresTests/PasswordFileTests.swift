#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import StrataPostgres
import StrataTestSupport
import Testing

/// `.pgpass` lines, wildcards and escapes as libpq matches them, and the files it ignores.
@Suite struct PasswordFileTests {
    private let file = PasswordFile(contents: Array("""
        # host:port:database:user:password
        db.example:5432:shop:app:first
        db.example:5432:shop:app:shadowed
        *:*:*:admin:any\\:where\\\\
        /tmp:5433:*:app:socket
        ho\\:st:*:db:u:escaped
        ::1:5432:*:*:ipv6:tail\r
        localhost:*:*:*:local
        """.utf8))

    @Test func theFirstMatchingLineWins() {
        #expect(file.password(host: "db.example", port: "5432", database: "shop", user: "app") == "first")
        #expect(file.password(host: "db.example", port: "5433", database: "shop", user: "app") == nil)
        #expect(file.password(host: "db.example", port: "5432", database: "shop", user: "other") == nil)
    }

    @Test func wildcardsAndEscapesMatchAsLibpqDoes() {
        #expect(file.password(host: "anywhere", port: "1", database: "x", user: "admin") == "any:where\\")
        #expect(file.password(host: "/tmp", port: "5433", database: "d", user: "app") == "socket")
        #expect(file.password(host: "ho:st", port: "9", database: "db", user: "u") == "escaped")
        // An unescaped `:` still matches a `:` in the host, and the password ends at the next one.
        #expect(file.password(host: "::1", port: "5432", database: "d", user: "u") == "ipv6")
        #expect(file.password(host: "localhost", port: "5432", database: "d", user: "u") == "local")
        #expect(file.password(host: "#", port: "1", database: "x", user: "nobody") == nil)
    }

    @Test func aFileOpenToOthersOrNotAFileIsIgnored() throws {
        let folder = TemporaryFolder()
        let path = folder.write("pgpass", "*:*:*:*:secret\n")
        chmod(path, 0o600)
        #expect(PasswordFile(path: path)?.password(host: "h", port: "1", database: "d", user: "u") == "secret")
        chmod(path, 0o644)
        #expect(PasswordFile(path: path) == nil)
        chmod(path, 0o640)
        #expect(PasswordFile(path: path) == nil)
        #expect(PasswordFile(path: folder.path) == nil)
        #expect(PasswordFile(path: folder.file("missing")) == nil)
    }
}
