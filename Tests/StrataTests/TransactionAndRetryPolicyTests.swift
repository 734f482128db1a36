import Testing
@testable import Strata

@Suite struct TransactionPolicyTests {
    let migration = Build.versioned("1", "index", sql: "CREATE INDEX CONCURRENTLY i ON t (a);")

    private func mode(_ count: Int, refusing: [Int], control: [Int] = [], _ directives: ScriptDirectives = ScriptDirectives()) throws -> TransactionMode {
        try TransactionPolicy.mode(
            for: migration,
            analysis: ScriptAnalysis(statementCount: count, refusingTransactionLines: refusing, transactionControlLines: control),
            directives: directives)
    }

    @Test func ordinaryScriptsRunInATransaction() throws {
        #expect(try mode(3, refusing: []) == .transactional)
    }

    @Test func scriptsMadeOnlyOfRefusingStatementsRunOutsideOne() throws {
        #expect(try mode(2, refusing: [1, 2]) == .nonTransactional)
    }

    @Test func mixingIsAnErrorUnlessTheHeaderOptsOut() throws {
        let error = try #require(throws: TransactionPolicyError.self) { try mode(3, refusing: [4]) }
        #expect(error.problem == .mixed(refusingLines: [4]))
        #expect(error.description.contains("line 4"))
        #expect(error.description.contains("-- strata:transaction=false"))
        #expect(try mode(3, refusing: [4], ScriptDirectives(transaction: false)) == .nonTransactional)
        let forced = try #require(throws: TransactionPolicyError.self) { try mode(1, refusing: [1], ScriptDirectives(transaction: true)) }
        #expect(forced.problem == .forcedTransaction(refusingLines: [1]))
    }

    @Test func transactionControlIsRefusedUnlessTheHeaderOptsOut() throws {
        let error = try #require(throws: TransactionPolicyError.self) { try mode(3, refusing: [], control: [1, 3]) }
        #expect(error.problem == .transactionControl(lines: [1, 3]))
        #expect(try mode(3, refusing: [], control: [1, 3], ScriptDirectives(transaction: false)) == .nonTransactional)
    }

    @Test(arguments: [("BEGIN", true), ("begin transaction", true), ("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", true),
                      ("COMMIT", true), ("END", true), ("ROLLBACK", true), ("ROLLBACK TO SAVEPOINT a", false), ("ABORT", true),
                      ("PREPARE TRANSACTION 'x'", true), ("PREPARE stmt AS SELECT 1", false), ("SAVEPOINT a", false),
                      ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", false), ("BEGIN;", true)])
    func postgresTransactionControl(statement: String, controls: Bool) throws {
        #expect(try PostgresScriptSplitter.split(statement).map(\.controlsTransaction) == [controls])
    }

    @Test func directivesAreReadFromTheHeaderOnly() throws {
        #expect(try ScriptDirectives.parse("-- strata:transaction=false\nCREATE TABLE t (a INT);").transaction == false)
        #expect(try ScriptDirectives.parse("-- a comment\n\n--  strata:transaction = TRUE\nSELECT 1;").transaction == true)
        #expect(try ScriptDirectives.parse("SELECT 1;\n-- strata:transaction=false").transaction == nil)
        let error = try #require(throws: ScriptDirectiveError.self) { try ScriptDirectives.parse("-- x\n-- strata:transactions=off\n") }
        #expect(error.line == 2)
    }
}

@Suite struct LockRetryPolicyTests {
    let policy = LockRetryPolicy(lockTimeoutMilliseconds: 200, maximumLockTimeoutMilliseconds: 2_000, retries: 20)

    @Test func timeoutGrowsStepByStepUpToTheMaximum() {
        #expect((0...20).map(policy.lockTimeout(afterFailures:)) == [
            200, 200, 200, 200, 400, 400, 400, 400, 800, 800, 800, 800, 1600, 1600, 1600, 1600, 2000, 2000, 2000, 2000, 2000,
        ])
    }

    @Test func backoffDoublesWithJitterAndACap() {
        #expect(policy.backoff(afterFailures: 1, jitter: 1) == 100)
        #expect(policy.backoff(afterFailures: 2, jitter: 1) == 200)
        #expect(policy.backoff(afterFailures: 3, jitter: 0.5) == 200)
        #expect(policy.backoff(afterFailures: 3, jitter: 1.5) == 600)
        #expect(policy.backoff(afterFailures: 30, jitter: 1) == 5_000)
        #expect(policy.backoff(afterFailures: 2, jitter: 9) == 300)
    }

    @Test func retriesAreBounded() {
        #expect(policy.allowsRetry(afterFailures: 20))
        #expect(!policy.allowsRetry(afterFailures: 21))
        #expect(!LockRetryPolicy(retries: 0).allowsRetry(afterFailures: 1))
    }
}
