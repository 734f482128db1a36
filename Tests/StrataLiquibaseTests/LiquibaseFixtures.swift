import Foundation
import StrataTestSupport
import Testing

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

/// The outcomes of a suite that runs every harness case: each case that must keep passing
/// and does not is an issue; the whole table is printed (prefixed with `tag`) for the docs.
struct HarnessTally {
    let tag: String
    /// The outcome that counts as passing (`matches`, `passes`).
    let success: String
    /// The cases that must have it.
    let required: Set<String>
    private(set) var results: [(name: String, outcome: String)] = []

    init(tag: String, success: String, required: Set<String>) {
        self.tag = tag
        self.success = success
        self.required = required
    }

    mutating func record(_ name: String, _ outcome: String) {
        if outcome != success && required.contains(name) { Issue.record("\(name): \(outcome)") }
        results.append((name, outcome))
    }

    /// Prints the table and checks that every required case passed.
    func finish(_ what: String) {
        let passed = results.filter { $0.outcome == success }.map(\.name)
        print("\(tag): \(passed.count) of \(results.count) cases \(what)")
        for result in results { print("\(tag): | \(result.name) | \(result.outcome.prefix(300)) |") }
        #expect(Set(passed).isSuperset(of: required))
    }
}
