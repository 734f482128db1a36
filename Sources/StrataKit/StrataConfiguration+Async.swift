import Dispatch
import Strata

/// Async entry points for server apps (Vapor, Hummingbird) that migrate at start-up.
///
/// Migrating blocks: the drivers wait on the database, and a run may wait for another
/// process's migration lock or pause between lock retries. These methods therefore run the
/// work on a thread of their own, never on the caller's executor or Swift's cooperative pool,
/// so an event loop stays free while a migration runs. Each call opens its own connection and
/// closes it when done.
///
/// ```swift
/// // Vapor's configure(_:), Hummingbird's buildApplication():
/// try await StrataConfiguration(url: databaseURL, codeMigrations: AppMigrations.all).migrate()
/// ```
extension StrataConfiguration {
    /// Applies what is pending (see ``Migrator/migrate(_:)``).
    @discardableResult
    public func migrate(
        _ options: MigrateOptions? = nil, onEvent: @escaping @Sendable (MigrationEvent) -> Void = { _ in }
    ) async throws -> MigrateReport {
        let options = options ?? MigrateOptions(lockRetry: lockRetry)
        return try await offTheEventLoop { try makeMigrator(create: true, onEvent: onEvent).migrate(options) }
    }

    /// Runs down scripts, newest applied first (see ``Migrator/undo(_:lockRetry:)``).
    @discardableResult
    public func undo(_ request: UndoRequest = .count(1), onEvent: @escaping @Sendable (MigrationEvent) -> Void = { _ in }) async throws -> MigrateReport {
        try await offTheEventLoop { try makeMigrator(create: false, onEvent: onEvent).undo(request, lockRetry: lockRetry) }
    }

    /// The state of every migration, changing nothing (see ``Migrator/info(_:)``).
    public func info() async throws -> Plan {
        try await offTheEventLoop { try makeMigrator(create: false).info() }
    }

    /// Everything that disagrees between the migrations and the history (see ``Migrator/validate()``).
    public func validate() async throws -> [Finding] {
        try await offTheEventLoop { try makeMigrator(create: false).validate() }
    }

    /// Runs blocking `work` on a dispatch queue of its own and resumes the caller with its result.
    private func offTheEventLoop<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "strata.migration").async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
