import Foundation
import Strata
import StrataKit
import StrataTestSupport
import Testing

/// The async entry points server apps call at start-up: every one of them works, and every
/// event reaches the caller.
@Suite struct AsyncEntryPointTests {
    let folder = TemporaryFolder()

    /// Events, from any thread.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [MigrationEvent] = []

        func record(_ event: MigrationEvent) {
            lock.withLock { events.append(event) }
        }

        var all: [MigrationEvent] { lock.withLock { events } }
    }

    @Test func migrateUndoInfoAndValidateWorkAndReportEvents() async throws {
        folder.write("m/V1__shelves.sql", "CREATE TABLE shelves (name TEXT);\n")
        folder.write("m/U1__shelves.sql", "DROP TABLE shelves;\n")
        folder.write("m/beforeMigrate.sql", "CREATE TABLE IF NOT EXISTS audit (at TEXT);\n")
        let configuration = StrataConfiguration(url: "sqlite:" + folder.file("app.db"), locations: [folder.file("m")])
        let seen = Seen()
        let report = try await configuration.migrate { seen.record($0) }
        #expect(report.applied.map(\.step.migration.script) == ["V1__shelves.sql"])
        #expect(try await configuration.validate().isEmpty)
        #expect(try await configuration.info().infos.map(\.state) == [.success])
        try await configuration.undo { seen.record($0) }
        let states = try await configuration.info().infos.map(\.state)
        #expect(states == [.undone, .pending], "the undone row, and V1 pending again: \(states)")

        let events = seen.all
        #expect(events.contains { if case .lockAcquired = $0 { true } else { false } })
        #expect(events.contains { if case .callback(let callback) = $0 { callback.script == "beforeMigrate.sql" } else { false } })
        #expect(events.contains { if case .applied(let step, _) = $0 { step.type == .undoSQL } else { false } })
    }

    /// The blocking work runs on a thread of its own: no task is current where the events are
    /// sent (the migration's own thread), so neither the caller's executor nor Swift's
    /// cooperative pool waits on the database.
    @Test func theWorkRunsOutsideSwiftConcurrency() async throws {
        folder.write("m/V1__shelves.sql", "CREATE TABLE shelves (name TEXT);\n")
        let configuration = StrataConfiguration(url: "sqlite:" + folder.file("app.db"), locations: [folder.file("m")])
        let (all, inTask) = (Seen(), Seen())
        try await configuration.migrate { event in
            all.record(event)
            if withUnsafeCurrentTask(body: { $0 != nil }) { inTask.record(event) }
        }
        #expect(all.all.count >= 2 && inTask.all.isEmpty, "events sent from inside a task: \(inTask.all)")
        #expect(try await configuration.info().infos.map(\.state) == [.success])
    }
}
