/// How a migration that could not get a lock in time is retried, in the manner of GitLab's
/// migration helpers: a short `lock_timeout` keeps DDL from queueing in front of live traffic
/// for long, and each failure backs off (with jitter) before the next attempt; after repeated
/// failures the timeout grows step by step so that a busy table can still be migrated.
public struct LockRetryPolicy: Sendable, Equatable {
    /// The first attempt's `lock_timeout` (default 200 ms).
    public var lockTimeoutMilliseconds: Int
    /// The most the timeout grows to after repeated failures (default 2 s).
    public var maximumLockTimeoutMilliseconds: Int
    /// Attempts after the first one.
    public var retries: Int
    /// `statement_timeout` for migrations, if any.
    public var statementTimeoutMilliseconds: Int?

    /// How many failed attempts pass before the timeout doubles.
    static let failuresPerStep = 4

    /// The defaults are `strata`'s: 200 ms doubling every four failed attempts up to 2 s, 20 retries,
    /// and no statement timeout. A maximum below the first timeout is raised to it.
    public init(lockTimeoutMilliseconds: Int = 200, maximumLockTimeoutMilliseconds: Int = 2_000, retries: Int = 20,
                statementTimeoutMilliseconds: Int? = nil) {
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        self.maximumLockTimeoutMilliseconds = max(maximumLockTimeoutMilliseconds, lockTimeoutMilliseconds)
        self.retries = retries
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }

    /// The lock timeout for the attempt that follows `failures` failed ones.
    func lockTimeout(afterFailures failures: Int) -> Int {
        let doublings = min(failures / Self.failuresPerStep, 16)
        return min(lockTimeoutMilliseconds << doublings, maximumLockTimeoutMilliseconds)
    }

    /// The pause before the attempt that follows `failures` failed ones (at least one):
    /// 100 ms doubling up to 5 s, scaled by `jitter` in 0.5...1.5.
    func backoff(afterFailures failures: Int, jitter: Double) -> Int {
        let base = min(100 << min(max(failures - 1, 0), 6), 5_000)
        return Int(Double(base) * min(max(jitter, 0.5), 1.5))
    }

    /// Whether another attempt follows `failures` failed ones.
    func allowsRetry(afterFailures failures: Int) -> Bool {
        failures <= retries
    }
}
