import Testing
@testable import Strata

@Suite struct SQLiteScriptSplitterTests {
    private func texts(_ script: String) throws -> [String] {
        try SQLiteScriptSplitter.split(script).map(\.text)
    }

    @Test func semicolonsInStringsIdentifiersAndCommentsDoNotEndStatements() throws {
        #expect(try texts("SELECT 'a;b' AS \"c;d\", [e;f], `g;h`; -- x; y\nSELECT 2 /* ; */;") ==
                ["SELECT 'a;b' AS \"c;d\", [e;f], `g;h`", "SELECT 2"])
        #expect(try texts("SELECT 'it''s; fine'; SELECT \"a\"\"b;\"") == ["SELECT 'it''s; fine'", "SELECT \"a\"\"b;\""])
    }

    @Test func aTriggerBodyIsOneStatementEvenWithCaseEndInside() throws {
        let script = """
            CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN
              UPDATE a SET b = CASE WHEN new.b > 0 THEN 1 ELSE 0 END;
              SELECT 1; /* end; */
            end ;
            CREATE TABLE "trigger" (x);
            """
        let statements = try SQLiteScriptSplitter.split(script)
        #expect(statements.map(\.line) == [1, 5])
        #expect(statements[0].text.hasSuffix("end"))
    }

    @Test func quotedBeginAndEndAreNamesNotKeywords() throws {
        let statements = try SQLiteScriptSplitter.split("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; \"END\"; END;\nSELECT [BEGIN] FROM \"END\";")
        #expect(statements.count == 2)
        #expect(statements.allSatisfy { !$0.controlsTransaction })
    }

    @Test func blockCommentsDoNotNestAndEmptyStatementsAreSkipped() throws {
        #expect(try texts("/* outer /* inner */ SELECT 1;;\n;  -- only a comment\n") == ["SELECT 1"])
        #expect(try texts("SELECT 1") == ["SELECT 1"])
        #expect(try texts("-- nothing\n/* at all */").isEmpty)
    }

    @Test(arguments: [
        ("BEGIN", true), ("begin immediate transaction", true), ("COMMIT", true), ("END TRANSACTION", true),
        ("ROLLBACK", true), ("ROLLBACK TRANSACTION", true), ("ROLLBACK TO a", false), ("ROLLBACK TRANSACTION TO SAVEPOINT a", false),
        ("SAVEPOINT a", false), ("RELEASE a", false), ("SELECT 1 AS \"BEGIN\"", false),
        ("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", false),
    ])
    func transactionControl(statement: String, controls: Bool) throws {
        #expect(try SQLiteScriptSplitter.split(statement).first?.controlsTransaction == controls)
    }

    @Test func vacuumRefusesATransaction() throws {
        let statements = try SQLiteScriptSplitter.split("vacuum;\nVACUUM main INTO 'x.db';\nSELECT 'VACUUM';\n\"VACUUM\";")
        #expect(statements.map(\.refusesTransaction) == [true, true, false, false])
    }

    @Test(arguments: [
        ("SELECT 1;\n/* never closed;\nDROP TABLE a;", 2, "unterminated block comment"),
        ("SELECT 1;\n\nSELECT 'open;", 3, "unterminated string literal"),
        ("SELECT [open;", 1, "unterminated quoted identifier"),
        ("SELECT `open;", 1, "unterminated quoted identifier"),
    ])
    func unterminatedTokensAreErrorsNamingTheirLine(script: String, line: Int, message: String) throws {
        let error = try #require(throws: ScriptError.self) { try SQLiteScriptSplitter.split(script) }
        #expect(error.line == line)
        #expect(error.message.hasPrefix(message))
    }

    @Test func analysisCountsStatementsAndFindsTransactionControlAndVacuum() throws {
        let analysis = try SQLiteDialect().analyze("CREATE TABLE a (id INT);\nBEGIN;\nINSERT INTO a VALUES (1);\nCOMMIT;\nVACUUM;\n")
        #expect(analysis == ScriptAnalysis(statementCount: 5, refusingTransactionLines: [5], transactionControlLines: [2, 4]))
    }
}

/// The SQLite dialect's analysis deciding how migrations run, with no database.
@Suite struct SQLiteTransactionPolicyTests {
    private func check(_ migrations: Migration...) throws {
        try TransactionPolicy.check(migrations.map { PlannedStep(migration: $0, type: .sql, reason: .pending) }, dialect: SQLiteDialect())
    }

    /// Regression: SQLite's analysis found nothing, so COMMIT was refused by the driver only
    /// after the migrations before it had been applied.
    @Test func transactionControlIsRefusedBeforeAnyStepRuns() throws {
        let error = try #require(throws: TransactionPolicyError.self) {
            try check(Build.versioned("1", sql: "CREATE TABLE a (id INT);"), Build.versioned("2", sql: "CREATE TABLE b (id INT);\nCOMMIT;"))
        }
        #expect(error.migration.version?.text == "2")
        #expect(error.problem == .transactionControl(lines: [2]))
    }

    @Test func aMigrationOfOnlyVacuumRunsOutsideATransaction() throws {
        let vacuum = PlannedStep(migration: Build.versioned("1", sql: "VACUUM;"), type: .sql, reason: .pending)
        #expect(try TransactionPolicy.mode(of: vacuum, dialect: SQLiteDialect()) == .nonTransactional)
        let error = try #require(throws: TransactionPolicyError.self) { try check(Build.versioned("2", sql: "DELETE FROM a;\nVACUUM;")) }
        #expect(error.problem == .mixed(refusingLines: [2]))
    }

    /// Regression: an unterminated comment made SQLite run nothing, and the migration was recorded.
    @Test func anUnterminatedCommentIsAScriptErrorNamingTheFileAndLine() throws {
        let error = try #require(throws: MigrationScriptError.self) {
            try check(Build.versioned("1", sql: "CREATE TABLE a (id INT);\n/* forgot to close\nCREATE TABLE b (id INT);"))
        }
        #expect(error.line == 2)
        #expect(error.description.contains("V1__step 1.sql, line 2: unterminated block comment"))
    }

    /// Regression: `strata sql --dialect sqlite` copied BEGIN/COMMIT into the script unchanged.
    @Test func theOfflineScriptRefusesTransactionControl() throws {
        let catalog = Build.catalog(Build.versioned("1", sql: "BEGIN;\nCREATE TABLE a (id INT);\nCOMMIT;"))
        let error = try #require(throws: TransactionPolicyError.self) {
            try OfflineScript.make(catalog: catalog, dialect: SQLiteDialect(), table: .defaultHistory, installedBy: "t",
                                   from: nil, to: .latest, undo: false)
        }
        #expect(error.problem == .transactionControl(lines: [1, 3]))
    }
}
