/// How fast a backfill may go: `strata.toml`'s `backfill_*` settings.
public struct BackfillSettings: Sendable, Equatable {
    /// How long one batch may hold its rows' locks (default 50 ms): the batch size follows the
    /// measured speed so that each batch takes about this long.
    public var batchMilliseconds: Int
    /// The pause after each batch, as a fraction of the time the batch took (default 0.1), so
    /// that traffic, vacuum and replicas keep up.
    public var pauseFraction: Double
    /// Rows in the first batch, before any speed is measured.
    public var firstBatchSize: Int
    /// The most rows one batch may take.
    public var maximumBatchSize: Int
    /// PostgreSQL: batches wait while a streaming replica's replay lag (`pg_stat_replication`)
    /// exceeds this; nil does not watch replicas.
    public var maximumReplicaLagMilliseconds: Int?
    /// PostgreSQL: the application's busy sessions above which the pauses grow (see
    /// ``BackfillThrottle``); nil does not watch the application.
    public var maximumBusySessions: Int?

    /// The defaults: 50 ms batches, 10% pauses, 1,000 rows at first and at most 100,000, replica
    /// lag at most 5 s, the application's sessions not watched.
    public init(batchMilliseconds: Int = 50, pauseFraction: Double = 0.1, firstBatchSize: Int = 1_000,
                maximumBatchSize: Int = 100_000, maximumReplicaLagMilliseconds: Int? = 5_000,
                maximumBusySessions: Int? = nil) {
        self.batchMilliseconds = batchMilliseconds
        self.pauseFraction = pauseFraction
        self.firstBatchSize = firstBatchSize
        self.maximumBatchSize = maximumBatchSize
        self.maximumReplicaLagMilliseconds = maximumReplicaLagMilliseconds
        self.maximumBusySessions = maximumBusySessions
    }
}

/// What one committed batch measured.
public struct BatchMeasurement: Sendable, Equatable {
    /// Rows it changed.
    public var rows: Int
    /// How long its transaction took, commit included.
    public var milliseconds: Int
    /// Sessions that were waiting for its locks just before it committed.
    public var blockedSessions: Int
    /// The application's sessions that were busy (in a statement or a transaction) as it ended;
    /// nil when not counted (no limit set, or SQLite).
    public var busySessions: Int?

    public init(rows: Int, milliseconds: Int, blockedSessions: Int = 0, busySessions: Int? = nil) {
        self.rows = rows
        self.milliseconds = milliseconds
        self.blockedSessions = blockedSessions
        self.busySessions = busySessions
    }
}

/// The next batch: how many rows, after how long a pause.
public struct BatchDecision: Sendable, Equatable {
    public var batchSize: Int
    public var pauseMilliseconds: Int
}

/// The adaptive throttle of a backfill, as a value: measurements in, the next batch size and
/// pause out. No clock and no database, so every rule is unit-tested.
///
/// The batch size aims at the time budget from the measured speed, moving at most by half or
/// by double per batch so that one odd measurement does not swing it. Sessions found waiting
/// on a batch's locks halve the budget for the next one (shorter holds, shorter waits); a lock
/// timeout on the backfill's side halves the batch and backs off.
///
/// Where the settings give a limit, the pause follows the application's queue. By Little's law
/// the sessions busy at a moment are the transactions' arrival rate times their duration, so at
/// the same traffic more busy sessions means longer transactions: a server the backfill leaves
/// too little CPU or I/O. While the busy sessions (a moving average over the batches) exceed the
/// limit, each pause doubles, up to ``maximumPauseFraction`` of its batch's time; once they are
/// back under it, it halves back.
public struct BackfillThrottle: Sendable, Equatable {
    public let settings: BackfillSettings
    /// The rows the next batch takes.
    public private(set) var batchSize: Int
    /// The pause after the next batch, as a fraction of its time: the settings' while the
    /// application keeps up, more while it queues.
    public private(set) var pauseFraction: Double
    /// The application's busy sessions above which it is queueing; nil when not watched.
    public var busyLimit: Int? { settings.maximumBusySessions }
    /// The moving average of the busy sessions the batches measured.
    public private(set) var busySessions: Double?

    /// The fewest rows a batch takes, however slow the rows are.
    static let minimumBatchSize = 10
    /// How often a backfill held back by a replica checks the lag again.
    static let replicaPollMilliseconds = 500
    /// How often a batch counts the sessions waiting for its locks while none were found.
    static let waiterCountMilliseconds = 1_000
    /// The longest pause while the application queues, as a fraction of the batch's time: the
    /// backfill then works a fifth of the time.
    public static let maximumPauseFraction = 4.0
    /// The least pause once the application queues, as a fraction of the batch's time, so that
    /// doubling starts from something with `backfill_pause = 0`.
    static let queuedPauseFraction = 0.25
    /// The weight of the latest batch's count in the moving average of busy sessions (about the
    /// last five batches, a quarter of a second at the default budget).
    static let busyWeight = 0.3

    public init(settings: BackfillSettings = BackfillSettings()) {
        self.settings = settings
        batchSize = Self.clamped(settings.firstBatchSize, settings)
        pauseFraction = settings.pauseFraction
    }

    /// The next batch after one that committed.
    public mutating func next(after batch: BatchMeasurement) -> BatchDecision {
        let budget = Double(settings.batchMilliseconds) / (batch.blockedSessions > 0 ? 2 : 1)
        let ideal: Double = batch.rows > 0 && batch.milliseconds > 0
            ? Double(batch.rows) / Double(batch.milliseconds) * budget
            : Double(batchSize) * 2
        let bounded = min(max(ideal, Double(batchSize) / 2), Double(batchSize) * 2)
        batchSize = Self.clamped(Int(bounded), settings)
        if let busy = batch.busySessions, let busyLimit {
            let average = busySessions.map { $0 + (Double(busy) - $0) * Self.busyWeight } ?? Double(busy)
            busySessions = average
            pauseFraction = average > Double(busyLimit)
                ? min(max(pauseFraction * 2, Self.queuedPauseFraction), max(Self.maximumPauseFraction, settings.pauseFraction))
                : max(pauseFraction / 2, settings.pauseFraction)
        }
        let pause = Int((Double(batch.milliseconds) * pauseFraction).rounded())
        return BatchDecision(batchSize: batchSize, pauseMilliseconds: pause)
    }

    /// The next attempt after a batch gave up waiting for a lock, the `failures`-th time in a
    /// row: half the rows, after the lock retry policy's backoff.
    public mutating func next(afterLockTimeout failures: Int, backoffMilliseconds: Int) -> BatchDecision {
        batchSize = Self.clamped(batchSize / 2, settings)
        return BatchDecision(batchSize: batchSize, pauseMilliseconds: backoffMilliseconds)
    }

    /// How long to wait before checking again while a replica lags more than allowed, or nil
    /// when the backfill may go on (no replica, or within the bound).
    public func replicaPause(lagMilliseconds: Int?) -> Int? {
        guard let bound = settings.maximumReplicaLagMilliseconds, let lag = lagMilliseconds, lag > bound else { return nil }
        return Self.replicaPollMilliseconds
    }

    /// Whether the next batch counts the sessions waiting for its locks. The count reads
    /// `pg_stat_activity` and the lock table (`pg_blocking_pids` takes every lock-table partition
    /// for a moment), 1–2 ms of server time that every session's lock requests queue behind: at
    /// 20 batches a second that was more server CPU than the batches' own overhead and enough to
    /// tip a near-saturated server into a growing backlog. So it is counted once a second, and at
    /// every batch while the last count found waiters, which is when halving the budget matters.
    /// `millisecondsSinceLastCount` is nil before the first count.
    public func countsWaiters(millisecondsSinceLastCount: Int?, lastCountFoundWaiters: Bool) -> Bool {
        guard let elapsed = millisecondsSinceLastCount else { return true }
        return lastCountFoundWaiters || elapsed >= Self.waiterCountMilliseconds
    }

    private static func clamped(_ size: Int, _ settings: BackfillSettings) -> Int {
        min(max(size, minimumBatchSize), max(settings.maximumBatchSize, minimumBatchSize))
    }
}
