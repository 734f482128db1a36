import Strata
import Testing

/// Every password form libpq accepts is masked, and nothing else changes.
@Suite struct PasswordMaskTests {
    @Test(arguments: [
        ("postgresql://app:s3cret@db/shop", "postgresql://app:***@db/shop"),
        ("postgresql://app@db/shop?password=s3cret", "postgresql://app@db/shop?password=***"),
        ("postgres://app@db/shop?sslmode=require&PASSWORD=s3cret&application_name=x", "postgres://app@db/shop?sslmode=require&PASSWORD=***&application_name=x"),
        ("postgresql://app:p%40ss@h1:5432,h2:5433/shop?password=s3cret", "postgresql://app:***@h1:5432,h2:5433/shop?password=***"),
        ("postgresql://app:s3cret@/shop?host=/tmp", "postgresql://app:***@/shop?host=/tmp"),
        ("postgresql://db/shop", "postgresql://db/shop"),
        ("host=db password=s3cret dbname=shop", "host=db password=*** dbname=shop"),
        ("host=db password = s3cret dbname=shop", "host=db password = *** dbname=shop"),
        ("host=db password='s3 cret' dbname=shop", "host=db password=*** dbname=shop"),
        ("host=db password = 'it\\'s s3cret' user=app", "host=db password = *** user=app"),
        ("password=s3\\ cret host=db", "password=*** host=db"),
        ("host=db\tPassword=s3cret", "host=db\tPassword=***"),
        ("host=db user=password", "host=db user=password"),
    ])
    func masks(_ given: String, _ shown: String) {
        #expect(PasswordMask.conninfo(given) == shown)
        #expect(!PasswordMask.conninfo(given).contains("s3cret"))
    }

    @Test func aDatabaseURLNeverPrintsItsPassword() throws {
        let url = try DatabaseURL(parsing: "host=db password = 'x y' dbname=shop")
        #expect("\(url)" == "host=db password = *** dbname=shop")
        #expect(url.display == "\(url)")
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "mysql://u:s3cret@db/x") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "") }
        do {
            _ = try DatabaseURL(parsing: "mysql://u:s3cret@db/x")
        } catch {
            #expect(!"\(error)".contains("s3cret"))
        }
    }

    /// What a message quoting a connection string, or the token libpq stumbled on, must not
    /// show: each password as written, percent-decoded, and without its quotes and escapes.
    @Test(arguments: [
        ("postgresql://app:Pa%ss@127.0.0.1:1/pw", ["Pa%ss"]),
        ("postgresql://app:p%40ss@db/shop?password=s3cret", ["p%40ss", "s3cret", "p@ss"]),
        ("postgres://app:Sw0rd@[::1:5432/pw", ["Sw0rd"]),
        ("postgresql://db/shop", []),
        ("host=db password = 'it\\'s s3cret' user=app", ["'it\\'s s3cret'", "it's s3cret"]),
        ("host=db password=s3cret", ["s3cret"]),
        ("postgresql://app:pa?ss@db/shop", ["pa?ss"]),
        ("postgresql://app:p@ss@db/shop", ["p@ss", "p", "ss"]),
    ])
    func passwordsAreFoundAsWrittenAndAsRead(_ conninfo: String, _ passwords: [String]) {
        #expect(PasswordMask.passwords(in: conninfo) == passwords)
        if let written = passwords.first { #expect(!PasswordMask.conninfo(conninfo).contains(written), "\(PasswordMask.conninfo(conninfo))") }
    }
}
