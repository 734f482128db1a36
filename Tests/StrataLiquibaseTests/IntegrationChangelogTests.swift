import Foundation
import StrataSchema
import Testing
@testable import StrataLiquibase

/// Liquibase's own integration changelogs (every root its integration tests run) read whole,
/// with their includes, and rendered for their engine.
@Suite struct IntegrationChangelogTests {
    static var roots: [String] {
        (LiquibaseFixtures.shared?.records("integrationChangelogs") ?? []).compactMap { $0["root"] as? String }
    }

    static let prefix = "liquibase-4.33.0/liquibase-integration-tests/src/test/resources/"

    static func load(_ root: String, database: String) throws -> LiquibaseChangelog {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let options = ChangelogOptions(properties: ["loginUser": "strata"], database: database, contexts: ["test", "context-b"])
        return try LiquibaseChangelog.load(path: String(root.dropFirst(prefix.count)), searchPath: fixtures.integrationRoot, options: options)
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"), arguments: roots)
    func readsAndRenders(root: String) throws {
        let flavor: SQLFlavor = root.contains("/sqlite/") ? .sqlite : .postgresql
        let changelog = try Self.load(root, database: flavor.liquibaseName)
        #expect(!changelog.changeSets.isEmpty)
        var failures: [String] = []
        for changeSet in changelog.changeSets where changeSet.matches(contexts: ["test", "context-b"]) {
            do {
                _ = try changeSet.statements(for: flavor)
            } catch {
                switch error.reason {
                case .cannotRunHere, .stopRequested: continue
                case .unsupported where flavor == .sqlite: continue
                default: failures.append(error.description)
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
