/// Where a backfill stands, as ``MigrationEvent/backfillProgress(_:_:)`` reports it about once
/// a second and when it ends.
public struct BackfillProgress: Sendable, Equatable {
    /// The table it changes.
    public let table: TableName
    /// The line of its statement in the migration file (0 for a code migration's).
    public let line: Int
    /// Rows changed so far, in this run and the ones it resumes.
    public let rows: Int
    /// How many rows it changes in all, as the database estimates them when it starts; nil when
    /// unknown.
    public let estimatedRows: Int?
    /// Rows per second in this run, pauses included.
    public let rowsPerSecond: Double
    /// The rows its next batch takes.
    public let batchSize: Int
    /// Set while it waits for a streaming replica whose replay lag is this many milliseconds.
    public let replicaLagMilliseconds: Int?
    /// True for the report of its last batch.
    public let finished: Bool
    /// PostgreSQL with `maximumBusySessions` set: the application's busy sessions, a moving
    /// average over the last batches (see ``BackfillThrottle``).
    public var busySessions: Double? = nil
    /// The busy sessions above which the application counts as queueing; nil when not watched.
    public var busyLimit: Int? = nil
    /// A walk by `ctid`: which sweep over the whole table for rows the application moved behind
    /// the first walk is running (1 to ``CtidCursor/sweepLimit``); 0 during the first walk. The
    /// estimate covers the first walk only, so a sweep shows neither a share done nor a time left.
    public var sweep = 0

    /// Whether the pauses are growing because the application queues.
    public var isSlowedForTheApplication: Bool {
        guard let busySessions, let busyLimit else { return false }
        return busySessions > Double(busyLimit) && !finished
    }

    /// Seconds left at the current rate, when the total is known.
    public var secondsRemaining: Double? {
        guard let estimatedRows, rowsPerSecond > 0, sweep == 0, !finished else { return finished ? 0 : nil }
        return Double(max(estimatedRows - rows, 0)) / rowsPerSecond
    }

    /// The share done, from 0 to 1, when the total is known.
    public var fraction: Double? {
        if finished { return 1 }
        guard let estimatedRows, estimatedRows > 0, sweep == 0 else { return nil }
        return min(Double(rows) / Double(estimatedRows), 1)
    }
}
