import Testing
@testable import Strata

@Suite struct TransactionPolicyTests {
    let migration = Build.versioned("1", "index", sql: "CREATE INDEX CONCURRENTLY i ON t (a);")

    @Test func ordinaryScriptsRunInATransaction() throws {
        #expect(try TransactionPolicy.mode(for: migration, statementCount: 3, refusingLines: [], directives: ScriptDirectives()) == .transactional)
    }

    @Test func scriptsMadeOnlyOfRefusingStatementsRunOutsideOne() throws {
        #expect(try TransactionPolicy.mode(for: migration, statementCount: 2, refusingLines: [1, 2], directives: ScriptDirectives()) == .nonTransactional)
    }

    @Test func mixingIsAnErrorUnlessTheHeaderOptsOut() throws {
        let error = try #require(throws: TransactionPolicyError.self) {
            try TransactionPolicy.mode(for: migration, statementCount: 3, refusingLines: [4], directives: ScriptDirectives())
        }
        #expect(error.description.contains("line 4"))
        #expect(error.description.contains("-- strata:transaction=false"))
        #expect(try TransactionPolicy.mode(for: migration, statementCount: 3, refusingLines: [4], directives: ScriptDirectives(transaction: false)) == .nonTransactional)
        #expect(throws: TransactionPolicyError.self) {
            try TransactionPolicy.mode(for: migration, statementCount: 1, refusingLines: [1], directives: ScriptDirectives(transaction: true))
        }
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
