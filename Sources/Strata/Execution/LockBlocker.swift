/// A transaction that held a lock a migration's statement timed out waiting for.
///
/// Instead of retrying blind, the executor waits for the transactions that blocked it to end
/// (asking for no lock meanwhile, so live traffic is never queued behind it) and retries at
/// once: the stall stays within one `lock_timeout` and the migration follows its blocker within
/// a poll interval.
public struct LockBlocker: Sendable, Hashable {
    /// The blocking session's process id.
    public let pid: Int
    /// Its transaction as the engine names it (PostgreSQL's virtual transaction id, `3/1234`):
    /// the session may start another transaction, which is not waited for.
    public let transaction: String

    /// For drivers that can tell who blocked a statement.
    public init(pid: Int, transaction: String) {
        self.pid = pid
        self.transaction = transaction
    }
}

extension Database {
    /// Drivers that cannot watch other sessions wait for nothing: the executor then falls back
    /// to backing off blind.
    public func waitForEnd(of blockers: [LockBlocker], upTo limit: Duration) throws -> Bool {
        false
    }
}
