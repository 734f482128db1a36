/// How a migration that could not get a lock in time is retried. A short `lock_timeout` keeps
/// DDL from queueing in front of live traffic for long: the stall it causes is at most that
/// timeout. After a timeout the migration is rolled back and, when the driver can tell who
/// blocked it, waits for those transactions to end without asking for any lock, then retries
/// at once; otherwise it backs off with jitter. The timeout grows after repeated failures only
/// when ``maximumLockTimeoutMilliseconds`` asks for it.
public struct LockRetryPolicy: Sendable, Equatable {
    /// The `lock_timeout` of every attempt (default 200 ms): the longest stall a migration causes.
    public var lockTimeoutMilliseconds: Int
    /// The most the timeout grows to after repeated failures (default: the timeout itself, so
    /// it never grows).
    public var maximumLockTimeoutMilliseconds: Int
    /// Attempts after the first one.
    public var retries: Int
    /// `statement_timeout` for migrations, if any.
    public var statementTimeoutMilliseconds: Int?
    /// How long one retry waits for the transactions that blocked the attempt before it runs
    /// anyway (default 60 s).
    public var blockerWaitMilliseconds: Int

    /// How many failed attempts pass before the timeout doubles.
    static let failuresPerStep = 4

    /// The defaults are `strata`'s: 200 ms that never grows, 20 retries, up to a minute of
    /// waiting for the blockers before each, and no statement timeout. A maximum below the
    /// first timeout is raised to it; a larger one doubles the timeout every four failed attempts.
    public init(lockTimeoutMilliseconds: Int = 200, maximumLockTimeoutMilliseconds: Int? = nil, retries: Int = 20,
                statementTimeoutMilliseconds: Int? = nil, blockerWaitMilliseconds: Int = 60_000) {
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        self.maximumLockTimeoutMilliseconds = max(maximumLockTimeoutMilliseconds ?? lockTimeoutMilliseconds, lockTimeoutMilliseconds)
        self.retries = retries
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.blockerWaitMilliseconds = blockerWaitMilliseconds
    }

    /// The lock timeout for the attempt that follows `failures` failed ones.
    func lockTimeout(afterFailures failures: Int) -> Int {
        let doublings = min(failures / Self.failuresPerStep, 16)
        return min(lockTimeoutMilliseconds << doublings, maximumLockTimeoutMilliseconds)
    }

    /// The pause before the attempt that follows `failures` failed ones (at least one), when
    /// nobody can tell who blocked it: 100 ms doubling up to 5 s, scaled by `jitter` in 0.5...1.5.
    func backoff(afterFailures failures: Int, jitter: Double) -> Int {
        let base = min(100 << min(max(failures - 1, 0), 6), 5_000)
        return Int(Double(base) * min(max(jitter, 0.5), 1.5))
    }

    /// Whether another attempt follows `failures` failed ones.
    func allowsRetry(afterFailures failures: Int) -> Bool {
        failures <= retries
    }
}
