import CLibPQ
import SchemaTestSupport
@testable import StrataPostgres
import Testing

/// Connection strings taken apart as libpq 15 does, without a server.
@Suite struct ConnectionStringTests {
    @Test func uriPartsArePercentDecodedAndEmptyPartsLeftUnset() {
        #expect(ConnectionString.parse("postgresql://app:p%40ss%3Aw@db.example:6432/shop%20floor?application_name=x%26y&connect_timeout=5")
                == ["user": "app", "password": "p@ss:w", "host": "db.example", "port": "6432", "dbname": "shop floor",
                    "application_name": "x&y", "connect_timeout": "5"])
        #expect(ConnectionString.parse("postgres://") == [:])
        #expect(ConnectionString.parse("postgresql://@:/") == [:])
        #expect(ConnectionString.parse("postgresql://app@") == ["user": "app"])
        #expect(ConnectionString.parse("postgresql://:5433/db") == ["port": "5433", "dbname": "db"])
        #expect(ConnectionString.parse("postgresql://h?") == ["host": "h"])
        #expect(ConnectionString.parse("postgresql://h/?user=u&") == ["host": "h", "user": "u"])
    }

    @Test func uriHostsMayBeIPv6SocketDirectoriesOrLists() {
        #expect(ConnectionString.parse("postgresql://[::1]:5433/db") == ["host": "::1", "port": "5433", "dbname": "db"])
        #expect(ConnectionString.parse("postgresql://[fe80::1%25eth0]") == ["host": "fe80::1%eth0"])
        #expect(ConnectionString.parse("postgresql://%2Fvar%2Frun%2Fpostgresql/db") == ["host": "/var/run/postgresql", "dbname": "db"])
        #expect(ConnectionString.parse("postgresql:///db?host=/tmp&port=5433") == ["host": "/tmp", "port": "5433", "dbname": "db"])
        #expect(ConnectionString.parse("postgresql://a:1,b,[::2]:3/db") == ["host": "a,b,::2", "port": "1,,3", "dbname": "db"])
    }

    @Test func sslTrueMeansRequire() {
        #expect(ConnectionString.parse("postgresql://h/db?ssl=true") == ["host": "h", "dbname": "db", "sslmode": "require"])
        #expect(ConnectionString.parse("postgresql://h/db?ssl=false") == ["host": "h", "dbname": "db", "ssl": "false"])
    }

    @Test func badURIsAreLeftToLibpq() {
        for text in ["postgresql://h/db?a", "postgresql://h/db?a=b=c", "postgresql://h/db?&a=b", "postgresql://h/db%", "postgresql://h/db%4",
                     "postgresql://h/db%zz", "postgresql://h/d%00b", "postgresql://[::1", "postgresql://[]/db", "postgresql://[::1]x/db",
                     "postgresql://h/%ff"] {
            #expect(ConnectionString.parse(text) == nil, "\(text)")
        }
    }

    @Test func keyValueStringsAllowSpacesQuotesAndEscapes() {
        #expect(ConnectionString.parse("host = /tmp  port=5433\tdbname='my db' user=a\\ b password='it\\'s \\\\ x' options=''")
                == ["host": "/tmp", "port": "5433", "dbname": "my db", "user": "a b", "password": "it's \\ x", "options": ""])
        #expect(ConnectionString.parse("dbname=a dbname=b") == ["dbname": "b"])
        // libpq skips spaces after `=`, so the value is the next word.
        #expect(ConnectionString.parse("host= port=5433") == ["host": "port=5433"])
        #expect(ConnectionString.parse("user='a'dbname=b") == ["user": "a", "dbname": "b"])
        #expect(ConnectionString.parse("host=h port") == nil)
        #expect(ConnectionString.parse("password='unterminated") == nil)
    }

    @Test func anythingElseIsADatabaseName() {
        #expect(ConnectionString.parse("shop") == ["dbname": "shop"])
        #expect(ConnectionString.parse("") == [:])
        #expect(ConnectionString.parse("mysql://h/db") == ["dbname": "mysql://h/db"])
    }

    /// libpq's own parser (PQconninfoParse) as the oracle: the same keywords and values, and an
    /// error exactly where it has one. Unknown keywords are left out: the parser does not check
    /// them, and the plan sends every keyword it does not handle to libpq.
    @Test(.enabled(if: strata_libpq_available() == 1, "libpq is not installed"), arguments: [
        "postgresql://app:p%40ss%3Aw@db.example:6432/shop%20floor?application_name=x%26y&connect_timeout=5", "postgres://",
        "postgresql://@:/", "postgresql://app@", "postgresql://:5433/db", "postgresql://h?", "postgresql://h/?user=u&",
        "postgresql://[::1]:5433/db", "postgresql://[fe80::1%25eth0]", "postgresql://%2Fvar%2Frun%2Fpostgresql/db",
        "postgresql:///db?host=/tmp&port=5433", "postgresql://a:1,b,[::2]:3/db", "postgresql://h/db?ssl=true", "postgresql://u:@h",
        "postgresql://:pw@h", "postgresql://h?user=a@b", "postgresql://h:/db", "postgresql://h:5432x/db", "postgresql://h/db?port=",
        "postgresql://h/db?a", "postgresql://h/db?a=b=c", "postgresql://h/db?&a=b", "postgresql://h/db%", "postgresql://h/db%4",
        "postgresql://h/db%zz", "postgresql://h/d%00b", "postgresql://[::1", "postgresql://[]/db", "postgresql://[::1]x/db",
        "postgresql://h/db?password=%ZZ", "postgresql://h/db?user=a&&dbname=b", "postgresql://a%2Cb/db", "postgresql://h/db?options=-c%20x%3Dy",
        "host = /tmp  port=5433\tdbname='my db' user=a\\ b password='it\\'s \\\\ x' options=''", "dbname=a dbname=b",
        "host= port=5433", "user='a'dbname=b", "host=h port", "password='unterminated", "host=h\\ x",
        "  host=h  ", "host='' port=''", "host=h password=a\\", "host =h", "host=h\nport=1", "dbname=postgresql://h/db",
    ])
    func agreesWithLibpq(conninfo: String) {
        #expect(ConnectionString.parse(conninfo) == Self.libpqParse(conninfo))
    }

    /// Random strings made of the grammar's pieces, against libpq: where libpq refuses one, the
    /// parser does too or finds a keyword libpq does not know (which the plan sends to libpq).
    @Test(.enabled(if: strata_libpq_available() == 1, "libpq is not installed"))
    func agreesWithLibpqOnRandomStrings() {
        let keywords = Set(Self.libpqParse("")?.keys ?? [:].keys)
        let pieces = ["postgresql://", "postgres://", "@", ":", "/", "?", "&", "=", ",", "[", "]", "'", "\\", " ", "\t", "%2F", "%40", "%3A",
                      "%25", "%00", "%4", "%zz", "%20", "host", "user", "dbname", "port", "password", "ssl", "true", "sslmode", "x", "5432", "::1"]
        var generator = SplitMix(seed: 7)
        for _ in 0..<3000 {
            let count = Int.random(in: 1...12, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let ours = ConnectionString.parse(text), libpq = Self.libpqParse(text)
            if text.contains("=") || text.hasPrefix("postgres") {
                let unknown = ours.map { !Set($0.keys).isSubset(of: keywords) } ?? false
                #expect(ours == libpq || (libpq == nil && unknown), "\(text)")
            }
        }
    }

    /// PQconninfoParse's keywords that have a value, or nil where it reports an error. An empty
    /// string gives every keyword libpq knows, with no value.
    private static func libpqParse(_ conninfo: String) -> [String: String]? {
        var error: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(conninfo, &error)
        defer {
            PQconninfoFree(options)
            PQfreemem(error)
        }
        guard var option = options else { return nil }
        var settings: [String: String] = [:]
        while let keyword = option.pointee.keyword {
            settings[String(cString: keyword)] = option.pointee.val.map { String(cString: $0) } ?? (conninfo.isEmpty ? "" : nil)
            option += 1
        }
        return settings
    }
}

