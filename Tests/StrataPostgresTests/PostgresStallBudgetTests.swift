import Foundation
@testable import Strata
import StrataPostgres
import StrataTestSupport
import Testing

/// Behind a long reader, a migration stalls traffic for at most one lock timeout, queues for
/// nothing while it waits, and runs as soon as the reader's transaction ends.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here (pg_config --bindir has no initdb); skipping"))
struct PostgresStallBudgetTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private func connect() throws -> PostgresDatabase {
        try PostgresDatabase(conninfo: server.url(database: database))
    }

    @Test func theRetryFollowsTheBlockersEndAndNoRequestQueuesPastTheTimeout() throws {
        folder.write("m/V1__Table.sql", "CREATE TABLE busy (a int);\nINSERT INTO busy VALUES (1);\n")
        try Migrator(database: try connect(), catalog: try LocationReader.read(locations: [folder.file("m")])).migrate()
        folder.write("m/V2__Alter.sql", "ALTER TABLE busy ADD COLUMN b int;\n")

        let clock = ContinuousClock()
        let blocker = try connect(), blocking = Shared(blocker)
        try blocker.execute("SET application_name = 'long-reader'")
        try blocker.execute("BEGIN")
        _ = try blocker.query("SELECT count(*) FROM busy", [])
        let released = Moment()
        let releasing = Thread {
            Thread.sleep(forTimeInterval: 2.5)
            released.set(clock.now)
            try? blocking.value.execute("COMMIT")
        }
        // A reader queries all along: it queues behind the migration's lock request whenever one waits.
        let longestRead = LongestDuration()
        let probe = Shared(try connect())
        let probing = Thread {
            while released.value.map({ clock.now - $0 < .seconds(1) }) ?? true {
                let start = clock.now
                _ = try? probe.value.query("SELECT count(*) FROM busy", [])
                longestRead.record(clock.now - start)
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        releasing.start()
        probing.start()

        var attempts: [ContinuousClock.Instant] = []
        var waits: [(at: ContinuousClock.Instant, blocker: String)] = []
        var retries: [(pause: Int, next: Int)] = []
        var applied: ContinuousClock.Instant?
        let migrator = Migrator(database: try connect(), catalog: try LocationReader.read(locations: [folder.file("m")])) { event in
            switch event {
            case .started: attempts.append(clock.now)
            case .waitingForBlockers(_, let blocker): waits.append((clock.now, blocker))
            case .lockRetry(_, _, let pause, let next, _): retries.append((pause, next))
            case .applied: applied = clock.now
            default: break
            }
        }
        try migrator.migrate(MigrateOptions(lockRetry: LockRetryPolicy(lockTimeoutMilliseconds: 200)))
        while probing.isExecuting { Thread.sleep(forTimeInterval: 0.05) }

        let release = try #require(released.value)
        let done = try #require(applied)
        #expect(!waits.isEmpty && waits[0].blocker.contains("long-reader"), "\(waits.map(\.blocker))")
        // One wait for the reader, not a series of blind retries; the timeout never grew.
        #expect(retries.count == waits.count && retries.count <= 2, "\(retries)")
        #expect(retries.allSatisfy { $0.next == 200 })
        // Each attempt gave up after about one lock timeout (margins for a busy machine).
        for (attempt, wait) in zip(attempts, waits) {
            #expect(wait.at - attempt < .milliseconds(700), "an attempt waited \(wait.at - attempt) for its lock")
        }
        #expect(done > release && done - release < .seconds(1), "applied \(done - release) after the reader ended")
        #expect(longestRead.value < .milliseconds(800), "a reader waited \(longestRead.value) behind the migration")
        #expect(try blocker.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'b'", []).first?.first?.int == 1)
    }
}

/// A connection handed to one other thread, which alone uses it from then on.
final class Shared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// An instant set by one thread and read by another.
final class Moment: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: ContinuousClock.Instant?

    func set(_ value: ContinuousClock.Instant) { lock.withLock { instant = value } }
    var value: ContinuousClock.Instant? { lock.withLock { instant } }
}
