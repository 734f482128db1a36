import Foundation
@testable import Strata
import StrataLint
import Testing

/// The linter's own behaviour around the rules: versions, transactions, ignores, options, safe SQL.
@Suite struct LinterTests {
    private func lint(_ sql: String, _ options: LintOptions = LintOptions()) throws -> [LintFinding] {
        try Linter(options: options).lint([LintSource(path: "V2__x.sql", sql: sql)])
    }

    private func rules(_ sql: String, _ options: LintOptions = LintOptions()) throws -> [String] {
        try lint(sql, options).map { "\($0.rule)@\($0.line)" }
    }

    @Test func aConstantDefaultRewritesOnlyBeforePostgreSQL11() throws {
        let sql = "ALTER TABLE t ADD COLUMN c int DEFAULT 0;"
        #expect(try rules(sql, LintOptions(postgresVersion: 10)) == ["add-column-volatile-default@1"])
        #expect(try rules(sql).isEmpty)
        #expect(try rules("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp();") == ["add-column-volatile-default@1"])
    }

    @Test func setNotNullBeforePostgreSQL12KeepsTheCheck() throws {
        let finding = try #require(try lint("ALTER TABLE t ALTER COLUMN c SET NOT NULL;", LintOptions(postgresVersion: 11)).first)
        #expect(finding.safeSQL?.contains("ALTER COLUMN c SET NOT NULL") == false)
    }

    @Test func explicitTransactionsInAFileWithoutOne() throws {
        let sql = """
            -- strata:transaction=false
            BEGIN;
            CREATE INDEX CONCURRENTLY i ON t (a);
            COMMIT;
            CREATE INDEX CONCURRENTLY j ON t (b);
            """
        #expect(try rules(sql) == ["concurrently-in-transaction@3"])
    }

    @Test func validateAfterCommitIsFine() throws {
        let sql = """
            -- strata:transaction=false
            BEGIN;
            ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;
            COMMIT;
            ALTER TABLE t VALIDATE CONSTRAINT t_fk;
            """
        #expect(try rules(sql) == ["foreign-key-without-index@3"])
    }

    @Test func unnamedNotValidConstraintsAreKnownByTheirDefaultName() throws {
        let sql = "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_fkey;\nCREATE INDEX CONCURRENTLY ON t (a);"
        #expect(try rules(sql).contains("validate-same-transaction@2"))
    }

    @Test func ignoresSeveritiesAndDisabledRules() throws {
        let sql = "-- strata:lint-ignore no-such-rule, truncate\nTRUNCATE t;\nDROP TABLE u;\n"
        let findings = try lint(sql)
        #expect(findings.map(\.rule) == ["unused-ignore", "drop-table", "lock-ordering"], "TRUNCATE still locks t, ignored or not")
        #expect(findings[0].message.contains("names no rule"))
        let options = LintOptions(disabled: ["unused-ignore", "lock-ordering"], severities: ["drop-table": .error])
        #expect(try lint(sql, options).map { "\($0.rule):\($0.severity)" } == ["drop-table:error"])
    }

    @Test func theHeaderAcceptsLintIgnores() throws {
        let directives = try ScriptDirectives.parse("-- strata:transaction=false\n-- strata:lint-ignore drop-table\nDROP TABLE t;\n")
        #expect(directives.transaction == false)
    }

    @Test func aScriptThePsqlSplitterRefusesIsOneFinding() throws {
        #expect(try rules("SELECT 1;\nSELECT 'unterminated;\n") == ["syntax-error@2"])
    }

    @Test func safeSQLKeepsTheConstraintAsWritten() throws {
        let findings = try lint("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0 AND note <> ')'), ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL;")
        #expect(findings.first?.safeSQL?.hasPrefix("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0 AND note <> ')') NOT VALID;") == true)
        #expect(findings.dropFirst().first?.safeSQL?.hasPrefix(
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL NOT VALID;") == true)
    }

    @Test func lockOrderingNamesTheTableHeldFirst() throws {
        let finding = try #require(try lint("ALTER TABLE a ADD COLUMN x text;\nALTER TABLE a ADD COLUMN y text;\nALTER TABLE b DROP COLUMN z;").first { $0.rule == "lock-ordering" })
        #expect(finding.line == 3)
        #expect(finding.message == "Locks b ACCESS EXCLUSIVE while holding a since line 1.")
    }

    @Test(arguments: [
        ("varchar(10)", "varchar(20)", true), ("varchar(20)", "varchar(10)", false), ("varchar(10)", "varchar", true),
        ("varchar(10)", "text", true), ("text", "varchar(5)", false), ("numeric(10,2)", "numeric(12,2)", true),
        ("numeric(10,2)", "numeric(12,3)", false), ("numeric(10,2)", "numeric", true), ("integer", "bigint", false),
        ("timestamp(3)", "timestamp", true), ("timestamp", "timestamp(3)", false), ("cidr", "inet", true),
    ])
    func typeChangesThatKeepTheTable(from: String, to: String, safe: Bool) throws {
        let sources = [
            LintSource(path: "V1.sql", sql: "CREATE TABLE t (c \(from));", reported: false),
            LintSource(path: "V2.sql", sql: "ALTER TABLE t ALTER COLUMN c TYPE \(to);"),
        ]
        #expect(try Linter().lint(sources).isEmpty == safe)
    }

    /// The pending migrations of one `migrate`: a table an earlier one creates is new for the
    /// later ones, as the safe rewrites see it. An applied migration's table exists, and so does
    /// an earlier file's when files are linted on their own (each may be deployed alone).
    @Test func aTableAnEarlierPendingMigrationCreatesIsNewInTheSameRun() throws {
        let create = LintSource(path: "V1.sql", sql: "CREATE TABLE t (c int);")
        let index = LintSource(path: "V2.sql", sql: "CREATE INDEX i ON t (c);")
        func rules(_ sources: [LintSource], oneRun: Bool) throws -> [String] {
            var pass = LintPass(Linter(), oneRun: oneRun)
            return try sources.flatMap { try pass.lint($0) }.map(\.rule)
        }
        #expect(try rules([create, index], oneRun: true) == [])
        #expect(try rules([create, index], oneRun: false) == ["create-index-not-concurrent"])
        let applied = LintSource(path: "V1.sql", sql: "CREATE TABLE t (c int);", reported: false)
        #expect(try rules([applied, index], oneRun: true) == ["create-index-not-concurrent"])
    }

    @Test func strictRefusesOnlyErrorsAndNamesEachFileLineAndRule() throws {
        let findings = try lint("ALTER TABLE t ALTER COLUMN c SET NOT NULL;\nCREATE INDEX i ON t (c);\n",
                                LintOptions(severities: ["set-not-null": .warning]))
        let refusal = try #require(StrictRefusal(findings))
        #expect(refusal.findings.map(\.rule) == ["create-index-not-concurrent"])
        #expect(refusal.description.hasPrefix("safety = \"strict\" refuses to migrate: the pending migrations have an error-level lint finding; nothing was run."))
        #expect(refusal.description.contains("\n  - V2__x.sql:2: [create-index-not-concurrent] "))
        #expect(StrictRefusal(findings.filter { $0.severity == .warning }) == nil)
    }

    @Test func theParseTreeKeepsEscapesAndEveryCharacter() throws {
        let text = "tab\there \"quoted\" back\\slash é 😀"
        guard case .parsed(let trees) = try PostgresParser.parse("SELECT '\(text)', 42, true;") else {
            Issue.record("the statement parses")
            return
        }
        let targets = trees.first?.typed("SelectStmt")?["targetList"].items.map { $0.typed("ResTarget")?["val"]["A_Const"] } ?? []
        #expect(targets.first??["sval"]["sval"].string == text)
        #expect(targets.dropFirst().first??["ival"]["ival"].integer == 42)
        #expect(targets.last??["boolval"]["boolval"].isTrue == true)
    }

    @Test func theHandWrittenJSONIsWhatJSONEncoderWrites() throws {
        let findings = try lint("""
            ALTER TABLE "ta/ble" ALTER COLUMN "é\\x" SET NOT NULL;
            CREATE INDEX i ON t (c);
            -- strata:lint-ignore drop-table
            SELECT 1;
            """)
        #expect(findings.count == 3 && findings.contains { $0.safeSQL == nil } && findings.contains { $0.lock == nil })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for report in [LintReport(scope: "2 \"files\"\ttabbed\u{01}", postgresVersion: 15, files: 2, findings: findings),
                       LintReport(scope: "none", postgresVersion: 11, files: 0, findings: [])] {
            #expect(report.json == String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    @Test func aLongFileParsedOnEveryCoreKeepsItsOrder() throws {
        let lines = (1...1_000).map { line in
            line == 450 ? "ALTER TABLE t ADD COLUMN;" : line % 100 == 0 ? "CREATE INDEX i\(line) ON t (c);" : "SELECT \(line);"
        }
        let expected = (1...10).map { "create-index-not-concurrent@\($0 * 100)" } + ["syntax-error@450"]
        #expect(try rules(lines.joined(separator: "\n")).sorted() == expected.sorted())
        #expect(try rules(lines.joined(separator: "\n")).map { Int($0.split(separator: "@")[1])! } == [100, 200, 300, 400, 450, 500, 600, 700, 800, 900, 1000])
    }
}
