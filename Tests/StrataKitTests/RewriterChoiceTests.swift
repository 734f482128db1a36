import Strata
import Testing
@testable import StrataKit

/// README: statements with a safe form run in it on PostgreSQL by default (`safety = "rewrite"`),
/// "without [PostgreSQL's parser] migrations run as written".
@Suite struct RewriterChoiceTests {
    let postgres = DatabaseURL.postgres(conninfo: "host=db dbname=app")

    @Test func postgresRewritesByDefaultWhenItsParserIsInstalled() throws {
        let configuration = StrataConfiguration(url: "postgresql://db/app")
        #expect(try configuration.rewriter(for: postgres, parserInstalled: true) != nil)
        #expect(try configuration.rewriter(for: postgres, parserInstalled: false) == nil)
    }

    @Test func safetyOffAndSQLiteRunMigrationsAsWritten() throws {
        var off = StrataConfiguration(url: "postgresql://db/app")
        off.safety = .off
        #expect(try off.rewriter(for: postgres, parserInstalled: true) == nil)
        let sqlite = StrataConfiguration(url: "sqlite:app.db")
        #expect(try sqlite.rewriter(for: .sqlite(path: "app.db"), parserInstalled: true) == nil)
    }
}
