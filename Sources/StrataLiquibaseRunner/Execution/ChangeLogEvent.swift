import StrataLiquibase

/// What a changelog run does, as it happens, for a command line to draw or a log to record.
public enum ChangeLogEvent: Sendable, Equatable {
    /// `DATABASECHANGELOG` (and its lock table) were created.
    case tablesCreated
    /// A changeset ran, or was recorded as run, and how long it took.
    case recorded(ChangeSetIdentity, ExecType, milliseconds: Int)
    /// A changeset was rolled back and its row removed.
    case rolledBack(ChangeSetIdentity, milliseconds: Int)
    /// A changeset's preconditions left it for a later run (`onFail="CONTINUE"`).
    case skipped(ChangeSetIdentity, reason: String)
    /// Something the run went on after: a WARN precondition, a changeset with `failOnError="false"` that failed.
    case warning(String)
    /// Another process (Liquibase, or a Strata run on SQLite) holds `DATABASECHANGELOGLOCK`; the run waits for it.
    case waitingForLiquibaseLock(String)
}
