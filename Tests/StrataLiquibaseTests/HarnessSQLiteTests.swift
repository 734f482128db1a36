import Foundation
import Strata
import StrataLiquibase
import StrataSQLite
import StrataSchema
import Testing

/// Liquibase's test harness on SQLite's real engine: each SQLite changelog, rendered by Strata,
/// applied to a database holding the harness's setup tables, gives the tables, views, indexes
/// and columns its expected snapshot names; then every changeset's rollback runs in reverse.
/// Each changeset is given the schema read from the database before it, so the changes
/// SQLite's `ALTER TABLE` cannot make become table rebuilds (which Liquibase cannot write).
@Suite struct HarnessSQLiteTests {
    /// The cases that apply, match their snapshot and roll back, which must keep doing so.
    static let passing: Set<String> = [
        "addAutoIncrement",
        "addColumn", "addDefaultValue", "addDefaultValueBoolean", "addDefaultValueComputed", "addDefaultValueDate",
        "addDefaultValueNumeric", "createIndex", "createTable", "createTableDataTypeText", "createTableTimestamp",
        "createView", "dropColumn", "dropIndex", "dropTable", "dropView", "mergeColumns", "modifySql", "renameTable",
        "sql", "sqlFile",
    ]

    static var cases: [[String: Any]] {
        (LiquibaseFixtures.shared?.records("harnessCases") ?? []).filter { record in
            record["dialect"] as? String == "sqlite" && record["needs"] == nil
                && ["compare", "notCompared", "missing"].contains(record["expectedSqlStatus"] as? String)
        }
    }

    static func names(_ database: SQLiteDatabase) throws -> Set<String> {
        var names = Set<String>()
        for row in try database.query("SELECT type, name FROM sqlite_master", []) {
            guard let type = row[0].string, let name = row[1].string else { continue }
            names.insert("\(type == "table" || type == "view" || type == "index" ? "relation" : type):\(name.lowercased())")
            guard type == "table" else { continue }
            for column in try database.query("SELECT name FROM pragma_table_info(?)", [.text(name)]) {
                column[0].string.map { _ = names.insert("column:" + $0.lowercased()) }
            }
        }
        return names
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"))
    func appliesMatchesTheSnapshotAndRollsBack() throws {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let setup = try String(contentsOfFile: fixtures.path("test-harness-9a485e4/src/test/resources/sqlite/sqlite-init.sql"), encoding: .utf8)
        var tally = HarnessTally(tag: "liquibase-sqlite", success: "passes", required: Self.passing)
        for record in Self.cases {
            let name = record["changeObject"] as? String ?? "?"
            let outcome: String
            do {
                let database = try SQLiteDatabase(path: ":memory:")
                try database.executeScript(setup)
                let changelog = try LiquibaseChangelog.load(path: record["changelog"] as! String, searchPath: fixtures.root.path,
                                                            options: ChangelogOptions(database: "sqlite"))
                for changeSet in changelog.changeSets {
                    let schema = try database.introspectSchema(namespaces: [], excluding: [])
                    try database.executeScript(try changeSet.statements(for: .sqlite, schema: schema).map(\.sql).joined(separator: "\n"))
                }
                let missing = try Self.expectedNames(fixtures, record).subtracting(Self.names(database))
                if missing.isEmpty {
                    for changeSet in changelog.changeSets.reversed() {
                        let schema = try database.introspectSchema(namespaces: [], excluding: [])
                        try database.executeScript(try changeSet.rollbackStatements(for: .sqlite, schema: schema).map(\.sql).joined(separator: "\n"))
                    }
                    outcome = "passes"
                } else {
                    outcome = "snapshot: missing " + missing.sorted().joined(separator: ", ")
                }
            } catch {
                outcome = "error: \(error)".replacing("\n", with: " ")
            }
            tally.record(name, outcome)
        }
        tally.finish("apply, match their snapshot and roll back")
    }

    /// The names a snapshot expects (none for `_noMatch` snapshots, which expect absence).
    static func expectedNames(_ fixtures: LiquibaseFixtures, _ record: [String: Any]) throws -> Set<String> {
        guard let path = record["expectedSnapshot"] as? String,
              let data = FileManager.default.contents(atPath: fixtures.path(path)),
              let document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let objects = (document["snapshot"] as? [String: Any])?["objects"] as? [String: Any],
              objects["_noMatch"] == nil
        else { return [] }
        var names = Set<String>()
        for (type, list) in objects {
            let kind = type.hasSuffix(".Column") ? "column" : ["Table", "View", "Index"].contains { type.hasSuffix("." + $0) } ? "relation" : nil
            guard let kind, let list = list as? [[String: Any]] else { continue }
            for wrapper in list {
                if let name = ((wrapper.values.first as? [String: Any])?["name"] as? String)?.lowercased() { names.insert("\(kind):\(name)") }
            }
        }
        return names
    }
}
