import Foundation
@testable import Strata
import StrataSQLite
import StrataTestSupport
import Testing

/// The executor's hard paths, driven through the ``ScriptedDatabase`` double over SQLite files:
/// re-planning when another process wrote the history, lock-timeout retries with their
/// backoff (without sleeping), and a failed step outside a transaction.
@Suite struct ExecutorTests {
    let folder = TemporaryFolder()
    var path: String { folder.file("app.db") }

    private func catalog(_ versions: ClosedRange<Int>) throws -> Catalog {
        for version in versions {
            folder.write("m/V\(version)__step_\(version).sql", "CREATE TABLE t\(version) (id INT);\n")
        }
        return try LocationReader.read(locations: [folder.file("m")])
    }

    private func versions(in database: any Database) throws -> [String] {
        try database.query("SELECT version FROM strata_schema_history ORDER BY installed_rank", []).compactMap { $0[0].string }
    }

    /// Another process, on its own connection to the same file.
    private func otherProcess(_ catalog: Catalog, upTo version: String) throws {
        try Migrator(database: try SQLiteDatabase(path: path), catalog: catalog, installedBy: "other")
            .migrate(MigrateOptions(plan: PlanOptions(target: .version(MigrationVersion(version)!))))
    }

    @Test func replansWhenAnotherProcessWroteTheHistory() throws {
        let catalog = try catalog(1...3)
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        // Transaction 1 creates the history table, 2 applies V1; before 3 (V2) the other process applies V2.
        database.beforeTransaction[3] = { try otherProcess(catalog, upTo: "2") }
        var events: [String] = []
        let migrator = Migrator(database: database, catalog: catalog, installedBy: "me") { event in
            if case .replanned = event { events.append("replanned") }
            if case .applied(let step, _) = event { events.append("applied \(step.migration.version!)") }
        }
        let report = try migrator.migrate()
        #expect(events == ["applied 1", "replanned", "applied 3"])
        #expect(report.applied.map(\.step.migration.version?.text) == ["1", "3"])
        #expect(try versions(in: database) == ["1", "2", "3"])
        let users = try database.query("SELECT installed_by FROM strata_schema_history ORDER BY installed_rank", []).map { $0[0].string }
        #expect(users == ["me", "other", "me"])
    }

    /// The first plan is checked by `migrate` before anything is created; a new plan is checked
    /// whole before its first step runs, though the run reads each file only when it reaches it.
    @Test func aReplanChecksEveryStepBeforeRunningOne() throws {
        let catalog = try catalog(1...4)
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        database.beforeTransaction[3] = {
            try otherProcess(catalog, upTo: "2")
            try FileManager.default.removeItem(atPath: folder.file("m/V4__step_4.sql"))
        }
        let error = try #require(throws: CatalogError.self) { try Migrator(database: database, catalog: catalog).migrate() }
        #expect(error.problems.map(\.path) == [folder.file("m") + "/V4__step_4.sql"])
        #expect(try versions(in: database) == ["1", "2"], "V3 waits for the whole new plan to be checked")
    }

    @Test func aRelativeTargetCountsFromTheFirstPlan() throws {
        let catalog = try catalog(1...4)
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        // Before V1's transaction the other process applies V1: the re-plan must stop at V2.
        database.beforeTransaction[2] = { try otherProcess(catalog, upTo: "1") }
        let report = try Migrator(database: database, catalog: catalog)
            .migrate(MigrateOptions(plan: PlanOptions(target: .next(count: 2))))
        #expect(report.applied.map(\.step.migration.version?.text) == ["2"])
        #expect(try versions(in: database) == ["1", "2"])
    }

    @Test func pinningKeepsOtherTargetsAndFixesRelativeOnes() {
        let step = PlannedStep(migration: Migration(kind: .versioned, version: "7", description: "x", script: "V7__x.sql", sql: ""),
                               type: .sql, reason: .pending)
        #expect(MigrationTarget.next(count: 3).pinned(to: [step]) == .version(MigrationVersion("7")!))
        #expect(MigrationTarget.next(count: 3).pinned(to: []) == .current)
        #expect(MigrationTarget.latest.pinned(to: [step]) == .latest)
    }

    @Test func lockTimeoutsAreRetriedWithBackoffAndGrowingTimeouts() throws {
        folder.write("m/V1__busy.sql", "CREATE TABLE busy (id INT);\n")
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        database.lockTimeouts["busy"] = 5
        var retries: [(failures: Int, pause: Int, next: Int, blocker: String?)] = []
        var failed = 0
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")])) { event in
            if case .lockRetry(_, let failures, let pause, let next, let blocker) = event { retries.append((failures, pause, next, blocker)) }
            if case .failed = event { failed += 1 }
        }
        var slept: [Duration] = []
        migrator.sleep = { slept.append($0) }
        migrator.jitter = { 1.0 }
        let policy = LockRetryPolicy(lockTimeoutMilliseconds: 100, maximumLockTimeoutMilliseconds: 400, retries: 10)
        let report = try migrator.migrate(MigrateOptions(lockRetry: policy))
        #expect(report.applied.count == 1)
        #expect(slept == [100, 200, 400, 800, 1600].map { .milliseconds($0) })
        #expect(retries.map(\.failures) == [1, 2, 3, 4, 5])
        #expect(retries.map(\.next) == [100, 100, 100, 200, 200])
        #expect(retries.allSatisfy { $0.blocker == "pid 42 (scripted)" })
        #expect(failed == 0, "a retried attempt is not a failure")
        let timeouts = database.log.filter { $0.hasPrefix("-- scripted lock_timeout") }
        #expect(timeouts == ["-- scripted lock_timeout = 100", "-- scripted lock_timeout = 200"])
        #expect(database.log.filter { $0 == "ROLLBACK" }.count == 5)
        #expect(try versions(in: database) == ["1"])
    }

    @Test func aRetryWaitsForTheBlockersInsteadOfSleepingAndTheTimeoutStays() throws {
        folder.write("m/V1__busy.sql", "CREATE TABLE busy (id INT);\n")
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        database.lockTimeouts["busy"] = 6
        database.blockers = [LockBlocker(pid: 42, transaction: "3/17")]
        var waited: [String] = []
        var next: [Int] = []
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")])) { event in
            if case .waitingForBlockers(_, let blocker) = event { waited.append(blocker) }
            if case .lockRetry(_, _, _, let timeout, _) = event { next.append(timeout) }
        }
        var slept = 0
        migrator.sleep = { _ in slept += 1 }
        try migrator.migrate(MigrateOptions(lockRetry: LockRetryPolicy(lockTimeoutMilliseconds: 100)))
        #expect(slept == 0)
        #expect(database.waits == Array(repeating: [LockBlocker(pid: 42, transaction: "3/17")], count: 6))
        #expect(waited == Array(repeating: "pid 42 (scripted)", count: 6))
        #expect(next == Array(repeating: 100, count: 6), "the timeout grows only when asked")
        #expect(database.log.filter { $0.hasPrefix("-- scripted lock_timeout") } == ["-- scripted lock_timeout = 100"])
    }

    @Test func retriesEndWithTheLastFailureAndNothingApplied() throws {
        folder.write("m/V1__busy.sql", "CREATE TABLE busy (id INT);\n")
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        database.lockTimeouts["busy"] = 10
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]))
        var slept = 0
        migrator.sleep = { _ in slept += 1 }
        migrator.jitter = { 0.5 }
        #expect {
            try migrator.migrate(MigrateOptions(lockRetry: LockRetryPolicy(retries: 2)))
        } throws: { error in
            (error as? MigrationFailedError)?.retries == 2 && "\(error)".contains("after 2 retries")
        }
        #expect(slept == 2)
        #expect(try versions(in: database).isEmpty)
    }

    @Test func aFailedStepOutsideATransactionIsRecordedAttemptFirst() throws {
        folder.write("m/V1__two_statements.sql", "-- strata:transaction=false\nCREATE TABLE kept (id INT);\nINSERT INTO missing VALUES (1);\n")
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        #expect(throws: MigrationFailedError.self) { try Migrator(database: database, catalog: catalog, installedBy: "me").migrate() }
        let steps = database.log.drop { !$0.contains("INSERT INTO \"strata_schema_history\"") }.filter { !$0.hasPrefix("-- scripted") }
        #expect(steps.first?.hasSuffix(", 'me', 0, 0)") == true, "the attempt is recorded as failed before the script runs")
        #expect(Array(steps.dropFirst()).prefix(2) == ["COMMIT", "-- strata:transaction=false\nCREATE TABLE kept (id INT);\nINSERT INTO missing VALUES (1);"])
        #expect(steps.last?.hasPrefix("UPDATE \"strata_schema_history\" SET execution_time = ") == true)
        #expect(steps.last?.contains("success = 0") == true)
        let row = try database.query("SELECT success FROM strata_schema_history WHERE version = '1'", []).first?.first
        #expect(row == .integer(0))
        #expect(try database.tableExists(TableName(schema: nil, name: "kept")))
        // The failed row stops later runs until `repair`.
        #expect(throws: ValidationFailedError.self) { try Migrator(database: database, catalog: catalog).migrate() }
    }

    /// Splits every migration into two recorded phases, as ``MigrationRewriting`` lets a rewriter do.
    private struct TwoPhases: MigrationRewriting {
        func rewrite(_ migration: Migration, newTables: inout Set<String>) throws -> MigrationRewrite? {
            MigrationRewrite(phases: [.transaction("CREATE TABLE a (id INT);"), .transaction("CREATE TABLE b (id INT);")],
                             changes: ["split in two"])
        }
    }

    /// V1 migrated by ``TwoPhases``, through a logging double.
    private func migratedInTwoPhases() throws -> ScriptedDatabase {
        folder.write("m/V1__two.sql", "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n")
        let database = ScriptedDatabase(wrapping: try SQLiteDatabase(path: path))
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]))
        migrator.rewriter = TwoPhases()
        try migrator.migrate()
        return database
    }

    /// A rewritten migration's progress row moves in the transaction of the phase it records,
    /// so a crash leaves it saying exactly which phases committed.
    @Test func eachRewrittenPhaseRecordsItsProgressInItsOwnTransaction() throws {
        let database = try migratedInTwoPhases()
        let log = database.log
        for (phase, table) in [(1, "a"), (2, "b")] {
            let script = try #require(log.firstIndex(of: "CREATE TABLE \(table) (id INT);"))
            let record = try #require(log.firstIndex { $0.contains("phases_done = \(phase)") })
            let begin = try #require(log[..<script].lastIndex { $0.hasPrefix("BEGIN") })
            #expect(begin < script && script < record)
            #expect(!log[begin..<record].contains { $0 == "COMMIT" || $0 == "ROLLBACK" })
            #expect(log[record...].first { $0 == "COMMIT" || $0 == "ROLLBACK" } == "COMMIT")
        }
        #expect(try versions(in: database) == ["1"])
    }

    /// After its last phase, a rewritten migration is marked applied and its progress table,
    /// counted once before the run, dropped in one transaction: no count and no record between.
    @Test func aRewrittenMigrationFinishesInOneTransaction() throws {
        let database = try migratedInTwoPhases()
        let sent = database.sent
        let lastPhase = try #require(sent.firstIndex(of: "CREATE TABLE b (id INT);"))
        let commit = try #require(sent[lastPhase...].firstIndex(of: "COMMIT"))
        let finish = Array(sent[(commit + 1)...].prefix(4))
        #expect(finish.first == "BEGIN" || finish.first?.hasPrefix("BEGIN") == true, "\(finish)")
        #expect(finish.count == 4 && finish[1].contains("UPDATE") && finish[1].contains("strata_schema_history"), "\(finish)")
        #expect(finish.count == 4 && finish[2] == "DROP TABLE \"strata_schema_history_progress\"" && finish[3] == "COMMIT", "\(finish)")
        #expect(!sent.contains { $0.contains("count(*)") && $0.contains("_progress") }, "\(sent)")
        #expect(try versions(in: database) == ["1"])
    }
}
