/// What the executor reports as it works, for the CLI to draw or a library user to log.
///
/// The core never prints: `strata` draws these events on the terminal, and a program passes its
/// own handler to ``Migrator/init(database:catalog:table:installedBy:onEvent:)`` (or sets
/// ``Migrator/onEvent``) to send them to its logs or metrics. Events arrive on the thread that
/// runs the command, as things happen.
///
/// ```swift
/// let migrator = Migrator(database: database, catalog: catalog) { event in
///     switch event {
///     case .applied(let step, let milliseconds):
///         print("applied \(step.migration.script) in \(milliseconds) ms")
///     case .lockRetry(let step, let failures, let pause, _, let blockedBy):
///         print("\(step.migration.script): no lock after \(failures) attempts (blocked by \(blockedBy ?? "?")), retrying in \(pause) ms")
///     case .warning(let message), .notice(let message), .waitingForLock(let message):
///         print(message)
///     default:
///         break
///     }
/// }
/// ```
public enum MigrationEvent: Sendable {
    /// The history table did not exist and was created.
    case historyTableCreated(TableName)
    /// `migrate` with ``MigrateOptions/baselineOnMigrate`` recorded a baseline on a database that
    /// held objects but no history.
    case baselineRecorded(MigrationVersion)
    /// Another tool's applied migrations were recorded in Strata's history (see ``Adoption``).
    case adopted(Adoption)
    /// A migration (or down script) is about to run; sent again for each lock retry.
    case started(PlannedStep)
    /// A migration ran and its history row was written.
    case applied(PlannedStep, milliseconds: Int)
    /// A migration failed; the command throws ``MigrationFailedError`` next.
    case failed(PlannedStep)
    /// Another process changed the history while this one waited; the plan was made again.
    case replanned
    /// A migration could not get a lock within the lock timeout and was rolled back; it runs
    /// again after `pauseMilliseconds` with `nextLockTimeoutMilliseconds`.
    case lockRetry(PlannedStep, failures: Int, pauseMilliseconds: Int, nextLockTimeoutMilliseconds: Int, blockedBy: String?)
    /// A migration could not get a lock within the lock timeout and was rolled back; it waits,
    /// asking for no lock, for the transactions that blocked it to end, then retries at once
    /// (``lockRetry(_:failures:pauseMilliseconds:nextLockTimeoutMilliseconds:blockedBy:)`` follows).
    case waitingForBlockers(PlannedStep, blockedBy: String)
    /// A migration runs in its safe form, as recorded steps (see ``MigrationRewrite``): one line
    /// per statement replaced.
    case rewritten(PlannedStep, changes: [String])
    /// Something the user should know that does not stop the run, such as a migration ignored
    /// because it is older than the newest applied version.
    case warning(String)
    /// A message the server sent while a statement ran, such as PostgreSQL's `RAISE NOTICE`.
    case notice(String)
    /// Another run holds the migration lock; this one waits (said every few seconds).
    case waitingForLock(String)
    /// The migration lock was taken, after waiting this long for another run to release it.
    case lockAcquired(waitedMilliseconds: Int)
    /// A SQL callback ran.
    case callback(Migration)
    /// A batched backfill of a migration moved on (about once a second, and when it ends).
    case backfillProgress(PlannedStep, BackfillProgress)
}
