import Foundation
import StrataSchema
import Testing
@testable import StrataLiquibase

/// Liquibase's test harness, per change type: the SQL Strata renders for PostgreSQL compared
/// with the SQL Liquibase's `update-sql` gave (the harness's expected SQL). Both sides are
/// normalized as the harness does, and then for spelling only (case outside quotes,
/// needless quotes, `public.`, spaces, `ADD COLUMN` for `ADD`), so a difference left is one
/// of substance. The cases that match are listed in ``matching``; the table of all cases is
/// in StrataLiquibase.docc/Conformance.md.
@Suite struct HarnessConformanceTests {
    /// The cases whose rendered SQL matches Liquibase's, per engine, which must keep matching.
    /// Left out on PostgreSQL: dropAllForeignKeyConstraints (twice; Liquibase reads the keys from
    /// the database, so its offline SQL has none, where Strata writes a PL/pgSQL loop that finds
    /// them when it runs) and dropCamelCasePrimaryKey (Liquibase looks the key's name up in a
    /// DO block; Strata drops PostgreSQL's default name, `<table>_pkey`). On SQLite: dropColumn,
    /// where Liquibase's rebuild is known to be broken and Strata writes `DROP COLUMN`.
    static let matching: [SQLFlavor: Set<String>] = [
        .postgresql: [
            "addAutoIncrement", "addClusteredPrimaryKey", "addColumn", "addDefaultValue", "addDefaultValueBoolean",
            "addDefaultValueComputed", "addDefaultValueDate", "addDefaultValueNumeric", "addDefaultValueSequenceNext",
            "addForeignKey", "addForeignKeyNoValidate", "addLookupTable", "addNonClusteredPrimaryKey",
            "addNotNullConstraint", "addNotNullConstraintBitBoolean", "addNotNullConstraintWithValues",
            "addPrimaryKey", "addUniqueConstraint", "alterSequence", "alterSequenceCycleProperty", "createIndex",
            "createProcedure", "createProcedureFromFile", "createSequence", "createTable", "createTableDataTypeText",
            "createTableTimestamp", "createTableWithGeneratedAlwaysAsColumn", "createTableWithNumericColumn",
            "createView", "datatypes.arrays", "datatypes.binary", "datatypes.bitstring", "datatypes.boolean",
            "datatypes.character", "datatypes.datetime", "datatypes.geometric", "datatypes.json", "datatypes.money",
            "datatypes.network", "datatypes.numeric", "datatypes.serial", "datatypes.smallint", "datatypes.uuid",
            "datatypes.xml", "dropColumn", "dropDefaultValue", "dropForeignKey", "dropIndex", "dropNotNullConstraint",
            "dropPrimaryKey", "dropProcedure", "dropSequence", "dropTable", "dropUniqueConstraint", "dropView",
            "mergeColumns", "modifyDataType", "modifySql", "renameColumn", "renameSequence", "renameTable",
            "renameView", "setColumnRemarks", "setTableRemarks", "sql", "sqlFile",
        ],
        .sqlite: [
            "createIndex", "createTable", "createTableDataTypeText", "createTableTimestamp", "createView", "dropIndex",
            "dropTable", "dropView", "modifySql", "renameTable", "sql", "sqlFile",
        ],
    ]

    static func cases(_ flavor: SQLFlavor) -> [[String: Any]] {
        (LiquibaseFixtures.shared?.records("harnessCases") ?? []).filter { record in
            record["dialect"] as? String == flavor.liquibaseName && record["expectedSqlStatus"] as? String == "compare"
                && record["needs"] == nil && record["sqlOutputStopsBefore"] == nil
        }
    }

    /// Strata's statements for every changeset of a harness changelog, or the error.
    static func rendered(_ record: [String: Any], _ flavor: SQLFlavor) throws -> String {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let changelogPath = try #require(record["changelog"] as? String)
        let changelog = try LiquibaseChangelog.load(path: changelogPath, searchPath: fixtures.root.path,
                                                    options: ChangelogOptions(database: flavor.liquibaseName))
        return try changelog.changeSets.flatMap { try $0.statements(for: flavor) }.map(\.sql).joined(separator: "\n")
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil, "\(LiquibaseFixtures.missing)"), arguments: SQLFlavor.allCases)
    func renderedSQLMatchesLiquibase(flavor: SQLFlavor) throws {
        let fixtures = try #require(LiquibaseFixtures.shared)
        var tally = HarnessTally(tag: "liquibase-conformance \(flavor)", success: "matches", required: Self.matching[flavor] ?? [])
        for record in Self.cases(flavor) {
            let name = record["changeObject"] as? String ?? "?"
            let expectedPath = try #require(record["expectedSql"] as? String)
            let expected = try String(contentsOfFile: fixtures.path(expectedPath), encoding: .utf8)
            let outcome: String
            do {
                let ours = SpellingNormalization.canonical(try Self.rendered(record, flavor))
                let theirs = SpellingNormalization.canonical(expected)
                outcome = ours == theirs ? "matches" : "differs at: " + SpellingNormalization.difference(ours, theirs)
            } catch {
                outcome = "error: \(error)"
            }
            tally.record(name, outcome)
        }
        tally.finish("match")
    }
}

/// The harness's normalization, then spelling differences removed.
enum SpellingNormalization {
    /// Where two texts part: a little of each from the first difference.
    static func difference(_ ours: String, _ theirs: String) -> String {
        let common = zip(ours, theirs).prefix { $0 == $1 }.count
        return "ours \"\(ours.dropFirst(max(0, common - 20)).prefix(70))\", Liquibase \"\(theirs.dropFirst(max(0, common - 20)).prefix(70))\""
    }


    static func canonical(_ text: String) -> String {
        let lines = text.replacing("\r", with: "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("--") }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
        var result = ""
        var quote: Character?
        var quoted = ""
        for character in lines.joined(separator: " ") {
            if let open = quote {
                quoted.append(character)
                if character == open {
                    quote = nil
                    let inner = quoted.dropFirst().dropLast()
                    let plain = open == "\"" && inner.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && !inner.isEmpty
                    result += plain ? String(inner) : quoted
                }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                quoted = String(character)
                continue
            }
            result += character.lowercased()
        }
        result = result.replacing("public.", with: "")
        while result.contains("  ") { result = result.replacing("  ", with: " ") }
        for token in ["(", ")", ","] {
            result = result.replacing(" " + token, with: token).replacing(token + " ", with: token)
        }
        return result.replacing(" add column ", with: " add ").replacing(";", with: "").trimmingCharacters(in: .whitespaces)
    }
}
