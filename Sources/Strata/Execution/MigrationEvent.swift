/// What the executor reports as it works, for the CLI to draw or a library user to log.
public enum MigrationEvent: Sendable {
    case historyTableCreated(TableName)
    case baselineRecorded(MigrationVersion)
    case started(PlannedStep)
    case applied(PlannedStep, milliseconds: Int)
    case failed(PlannedStep)
    /// Another process changed the history while this one waited; the plan was made again.
    case replanned
    /// A migration could not get a lock within the lock timeout and was rolled back; it runs
    /// again after `pauseMilliseconds` with `nextLockTimeoutMilliseconds`.
    case lockRetry(PlannedStep, failures: Int, pauseMilliseconds: Int, nextLockTimeoutMilliseconds: Int, blockedBy: String?)
    case warning(String)
    /// A message the server sent while a statement ran, such as PostgreSQL's `RAISE NOTICE`.
    case notice(String)
    /// Another run holds the migration lock; this one waits (said every few seconds).
    case waitingForLock(String)
    /// A SQL callback ran.
    case callback(Migration)
}
