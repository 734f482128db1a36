import Foundation
import StrataSchema
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// Liquibase's test harness on a real PostgreSQL server: each changelog's changesets, rendered
/// by Strata, applied to a database holding the harness's setup tables, give the objects of the
/// harness's expected snapshot (by name; and where the snapshot says: nullability, type name,
/// size and decimal digits, a generated column's expression, a unique or clustered index, a
/// deferrable constraint; `_noMatch` snapshots must find none of theirs, or only another type);
/// then every changeset's rollback, in reverse order, runs too.
@Suite(.serialized) struct HarnessPostgresTests {
    /// The cases that apply, match their snapshot and roll back, which must keep doing so.
    static let passing: Set<String> = [
        "addAutoIncrement", "addClusteredPrimaryKey", "addColumn", "addDefaultValue", "addDefaultValueBoolean",
        "addDefaultValueComputed", "addDefaultValueDate", "addDefaultValueNumeric", "addDefaultValueSequenceNext",
        "addForeignKey", "addForeignKeyNoValidate", "addLookupTable", "addNonClusteredPrimaryKey",
        "addNotNullConstraint", "addNotNullConstraintBitBoolean", "addNotNullConstraintWithValues", "addPrimaryKey",
        "addUniqueConstraint", "alterSequence", "alterSequenceCycleProperty", "createIndex", "createProcedure",
        "createProcedureFromFile", "createSequence", "createSequence (sql)", "createTable", "createTableDataTypeText",
        "createTableTimestamp", "createTableWithGeneratedAlwaysAsColumn", "createTableWithNumericColumn", "createView",
        "datatypes.arrays", "datatypes.binary", "datatypes.bitstring", "datatypes.boolean", "datatypes.character",
        "datatypes.datetime", "datatypes.geometric", "datatypes.json", "datatypes.money", "datatypes.network",
        "datatypes.numeric", "datatypes.serial", "datatypes.smallint", "datatypes.uuid", "datatypes.xml",
        "dropAllForeignKeyConstraints", "dropAllForeignKeysMixedCaseTablesWithProKey", "dropCamelCasePrimaryKey",
        "dropColumn", "dropDefaultValue", "dropForeignKey", "dropIndex", "dropNotNullConstraint", "dropPrimaryKey",
        "dropProcedure", "dropSequence", "dropTable", "dropUniqueConstraint", "dropView", "mergeColumns",
        "modifyDataType", "modifySql", "renameColumn", "renameColumn (sql)", "renameSequence", "renameTable",
        "renameTable (sql)", "renameView", "setColumnRemarks", "setTableRemarks", "sql", "sqlFile",
    ]

    static var cases: [[String: Any]] {
        (LiquibaseFixtures.shared?.records("harnessCases") ?? []).filter { record in
            record["dialect"] as? String == "postgresql" && record["needs"] == nil
                && ["compare", "notCompared"].contains(record["expectedSqlStatus"] as? String)
        }
    }

    /// The harness's setup tables (`authors`, `posts`) without its role and grant statements.
    static func setupSQL(_ fixtures: LiquibaseFixtures) throws -> String {
        let script = try String(contentsOfFile: fixtures.path("test-harness-9a485e4/src/test/resources/docker/postgres-init.sh"), encoding: .utf8)
        let body = script.components(separatedBy: "<<-EOSQL").last?.components(separatedBy: "EOSQL").first ?? ""
        return body.split(separator: "\n").filter { line in
            !line.contains("OWNER TO") && !line.contains("GRANT ") && !line.contains("CREATE USER")
        }.joined(separator: "\n")
    }

    /// Runs `statements` in one psql script that stops at the first error.
    static func run(_ statements: [SchemaStatement], on database: String, _ server: TestPostgres) throws {
        guard !statements.isEmpty else { return }
        let folder = TemporaryFolder()
        let path = folder.write("script.sql", statements.map(\.sql).joined(separator: "\n") + "\n")
        try server.psqlFile(path, database: database)
    }

    /// Which expected objects are missing (or, for `_noMatch`, present), in words.
    static func snapshotProblems(_ fixtures: LiquibaseFixtures, _ record: [String: Any], database: String, _ server: TestPostgres) throws -> [String] {
        guard let path = record["expectedSnapshot"] as? String,
              let data = FileManager.default.contents(atPath: fixtures.path(path)),
              let document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let objects = (document["snapshot"] as? [String: Any])?["objects"] as? [String: Any]
        else { return [] }
        let rows = try server.psql("""
            SELECT 'relation:' || relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
            UNION ALL SELECT 'column:' || column_name || ':' || is_nullable FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'constraint:' || conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
            UNION ALL SELECT 'routine:' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
            UNION ALL SELECT 'type:' || column_name || ':' || udt_name || ':' || coalesce(character_maximum_length, numeric_precision, -1)
                || ':' || coalesce(numeric_scale, -1) || ':' || coalesce(generation_expression, '')
                FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'unique:' || c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND i.indisunique
            UNION ALL SELECT 'clustered:' || c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND i.indisclustered
            UNION ALL SELECT 'deferrable:' || conname || ':' || condeferrable || ':' || condeferred FROM pg_constraint c
                JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
            """, database: database).split(separator: "\n").map { $0.lowercased() }
        let present = Set(rows)
        let columnTypes = rows.filter { $0.hasPrefix("type:") }.map { $0.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init) }
        // `_noMatchField` says only that field must differ (a type Strata does not compare): the object must still be there.
        let absent = objects["_noMatch"] as? Bool == true && objects["_noMatchField"] == nil
        var problems: [String] = []
        let kinds = ["Table": "relation", "View": "relation", "Sequence": "relation", "Index": "relation", "Column": "column",
                     "ForeignKey": "constraint", "PrimaryKey": "constraint", "UniqueConstraint": "constraint", "StoredProcedure": "routine"]
        for (type, list) in objects {
            guard let kind = kinds[String(type.split(separator: ".").last ?? "")], let list = list as? [[String: Any]] else { continue }
            for wrapper in list {
                guard let object = wrapper.values.first as? [String: Any], let name = (object["name"] as? String)?.lowercased() else { continue }
                var found: Bool
                if kind == "column", let nullable = object["nullable"] as? Bool {
                    found = present.contains("column:\(name):\(nullable ? "yes" : "no")")
                } else if kind == "column" {
                    found = present.contains("column:\(name):yes") || present.contains("column:\(name):no")
                } else {
                    found = present.contains("\(kind):\(name)")
                }
                if objects["_noMatchField"] as? String == "type", let type = object["type"] as? [String: Any] {
                    // Only the type must differ: the column is there with another.
                    if columnTypes.contains(where: { $0[1] == name && Self.typeMatches(type, $0, everySize: true) }) {
                        problems.append("unexpected type of column \(name)")
                    }
                    continue
                }
                if found == absent { problems.append("\(absent ? "unexpected" : "missing") \(kind) \(name)"); continue }
                guard !absent else { continue }
                if kind == "column", let type = object["type"] as? [String: Any], !columnTypes.contains(where: { $0[1] == name && Self.typeMatches(type, $0) }) {
                    problems.append("column \(name) is not of type \(type)")
                }
                if kind == "column", let value = object["defaultValue"] as? String, let expression = Self.generatedExpression(value),
                   !columnTypes.contains(where: { $0[1] == name && Self.spaceless($0[5]) == Self.spaceless(expression) }) {
                    problems.append("column \(name) is not generated as \(expression)")
                }
                if type.hasSuffix(".Index"), object["unique"] as? Bool == true, !present.contains("unique:\(name)") {
                    problems.append("index \(name) is not unique")
                }
                if type.hasSuffix(".Index"), object["clustered"] as? Bool == true, !present.contains("clustered:\(name)") {
                    problems.append("index \(name) is not clustered")
                }
                // Liquibase's PostgreSQL snapshot reads deferrability of foreign keys only (a unique
                // constraint's generic snapshot says false even where the changelog made it deferrable).
                if type.hasSuffix(".ForeignKey"), let deferrable = object["deferrable"] as? Bool {
                    let deferred = object["initiallyDeferred"] as? Bool ?? false
                    if !present.contains("deferrable:\(name):\(deferrable):\(deferred)") {
                        problems.append("constraint \(name) is not deferrable=\(deferrable) initiallyDeferred=\(deferred)")
                    }
                }
            }
        }
        return problems
    }

    /// A snapshot value without the harness's regex escapes and `\!{java type}` suffix.
    static func plain(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let bare = text.components(separatedBy: "\\!").first ?? text
        return bare.replacing("\\", with: "")
    }

    /// Whether a column (`type:name:udt:size:scale:generated`) has the snapshot's type name,
    /// size and decimal digits (PostgreSQL names an array type `_int4`; the snapshot `int4[]`).
    /// `everySize` compares a size given for any type (a `_noMatch` snapshot names the size that must differ).
    static func typeMatches(_ type: [String: Any], _ column: [String], everySize: Bool = false) -> Bool {
        let udt = column[2].hasPrefix("_") ? String(column[2].dropFirst()) + "[]" : column[2]
        if let name = plain(type["typeName"]), name.lowercased() != udt { return false }
        let sized = everySize || ["varchar", "bpchar", "numeric", "bit", "varbit"].contains(udt)
        if sized, let size = plain(type["columnSize"]), size != column[3] { return false }
        if udt == "numeric", let digits = plain(type["decimalDigits"]), digits != column[4] { return false }
        return true
    }

    /// `GENERATED ALWAYS AS (expr) STORED` as the snapshot writes it: the expression.
    static func generatedExpression(_ value: String) -> String? {
        guard let text = plain(value), text.uppercased().hasPrefix("GENERATED ALWAYS AS ("), text.uppercased().hasSuffix(") STORED") else { return nil }
        return String(text.dropFirst("GENERATED ALWAYS AS (".count).dropLast(") STORED".count))
    }

    /// Without spaces and the outer parentheses PostgreSQL puts around a generation expression.
    static func spaceless(_ text: String) -> String {
        var text = text.filter { !$0.isWhitespace }.lowercased()
        while text.hasPrefix("("), text.hasSuffix(")"), balanced(text.dropFirst().dropLast()) { text = String(text.dropFirst().dropLast()) }
        return text
    }

    static func balanced(_ text: Substring) -> Bool {
        var depth = 0
        for character in text {
            depth += character == "(" ? 1 : character == ")" ? -1 : 0
            if depth < 0 { return false }
        }
        return depth == 0
    }

    @Test(.enabled(if: LiquibaseFixtures.shared != nil && (TestPostgres.available || TestPostgres.requiredButMissing),
                   "needs the Liquibase fixtures and PostgreSQL"))
    func appliesMatchesTheSnapshotAndRollsBack() throws {
        let fixtures = try #require(LiquibaseFixtures.shared)
        let server = try #require(TestPostgres.shared, "PostgreSQL is required under CI: \(TestPostgres.startFailure ?? "")")
        let setup = try Self.setupSQL(fixtures)
        var tally = HarnessTally(tag: "liquibase-postgres", success: "passes", required: Self.passing)
        for record in Self.cases {
            let name = record["changeObject"] as? String ?? "?"
            let format = record["format"] as? String ?? "xml"
            let label = format == "xml" ? name : "\(name) (\(format))"
            let outcome: String
            do {
                let database = try server.createDatabase()
                try server.psql(setup, database: database)
                let changelog = try LiquibaseChangelog.load(path: record["changelog"] as! String, searchPath: fixtures.root.path,
                                                            options: ChangelogOptions(database: "postgresql"))
                try Self.run(try changelog.changeSets.flatMap { try $0.statements(for: .postgresql) }, on: database, server)
                let problems = try Self.snapshotProblems(fixtures, record, database: database, server)
                if problems.isEmpty {
                    try Self.run(try changelog.changeSets.reversed().flatMap { try $0.rollbackStatements(for: .postgresql) }, on: database, server)
                    outcome = "passes"
                } else {
                    outcome = "snapshot: " + problems.joined(separator: ", ")
                }
            } catch {
                outcome = "error: \(error)".replacing("\n", with: " ")
            }
            tally.record(label, outcome)
        }
        tally.finish("apply, match their snapshot and roll back")
    }
}
