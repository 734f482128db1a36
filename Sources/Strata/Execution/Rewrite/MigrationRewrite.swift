/// A migration's statements with those that would stall live traffic replaced by their safe
/// form, as phases the executor runs one after the other (``Migrator/rewriter``).
///
/// A safe form gives up the migration's single transaction: a concurrent index build cannot run
/// in one, and a validation only stops blocking traffic once the lock of the `ADD … NOT VALID`
/// before it is released. A rewritten migration therefore runs as recorded steps: its history row
/// is written as failed first, each phase's completion is recorded, a rerun after a crash resumes
/// at the first phase not recorded, and the row is marked successful (its script with
/// ``MigrationRewrite/historyMark``) at the end.
public struct MigrationRewrite: Sendable, Equatable {
    /// One step of a rewritten migration.
    public enum Phase: Sendable, Equatable {
        /// Statements that run in one transaction under the lock timeout, retried on lock timeouts.
        case transaction(String)
        /// One statement that cannot run in a transaction: a concurrent index build, named so
        /// that a rerun can drop the invalid index a failed build leaves.
        case outside(String, index: TableName)
        /// Fills a column added without its volatile default from that default: a batched
        /// backfill run by the backfill engine, its progress saved under the phase's index.
        case backfill(Backfill)
    }

    /// The phases, in order.
    public let phases: [Phase]
    /// One line per statement replaced: where it is, what runs instead and why.
    public let changes: [String]
    /// The line each replaced statement starts on, in the order of ``changes``.
    public let replacedLines: [Int]

    public init(phases: [Phase], changes: [String], replacedLines: [Int] = []) {
        self.phases = phases
        self.changes = changes
        self.replacedLines = replacedLines
    }

    /// Appended to the history row's `script` of a rewritten migration: `info` and `history`
    /// show it, and nothing validates the script column (Flyway's validation does not either).
    public static let historyMark = " (rewritten)"
}

/// Decides the safe form of a migration: nil runs it as written.
public protocol MigrationRewriting: Sendable {
    /// The safe form of `migration`, or nil to run it as written. `newTables` holds the tables
    /// (by name) that migrations earlier in the same run created; the call adds those
    /// `migration` creates.
    func rewrite(_ migration: Migration, newTables: inout Set<String>) throws -> MigrationRewrite?
}

extension HistoryEntry {
    /// Whether the migration was run in its rewritten, safe form.
    public var wasRewritten: Bool { script.hasSuffix(MigrationRewrite.historyMark) }

    /// The script's file name, without the mark of a rewrite.
    public var scriptFile: String { wasRewritten ? String(script.dropLast(MigrationRewrite.historyMark.count)) : script }
}
