import Foundation
import StrataTestSupport

/// `../shared/fixtures/liquibase`: Liquibase 4.33's own changelogs, the test harness's expected
/// SQL, and `expectations.json` with what their upstream tests assert. Nil where absent.
struct LiquibaseFixtures: @unchecked Sendable {
    let root: URL
    let document: [String: Any]

    static let shared: LiquibaseFixtures? = {
        guard let fixtures = ConformanceFixtures.shared else { return nil }
        let root = fixtures.root.appendingPathComponent("liquibase")
        guard let data = try? Data(contentsOf: root.appendingPathComponent("expectations.json")),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return LiquibaseFixtures(root: root, document: document)
    }()

    /// Why a fixture-driven test does not run here.
    static let missing = "the Liquibase fixtures (../shared/fixtures/liquibase) are not on this machine"

    func records(_ key: String) -> [[String: Any]] { document[key] as? [[String: Any]] ?? [] }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Liquibase-standard's test classpath root, where the parser fixtures' includes resolve.
    var parserRoot: String { path("liquibase-4.33.0/liquibase-standard/src/test/resources") }
    /// The integration tests' classpath root.
    var integrationRoot: String { path("liquibase-4.33.0/liquibase-integration-tests/src/test/resources") }
    /// The harness's change folder (changelogs, expectedSql, expectedSnapshot).
    var harnessRoot: String { path("test-harness-9a485e4/src/main/resources/liquibase/harness/change") }
}
