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
        /// Fills a column added without its volatile default, in short batches (see ``Backfill``).
        case backfill(Backfill)
    }

    /// A column added without its volatile default, to be filled from that default.
    public struct Backfill: Sendable, Equatable {
        /// The table, as SQL names it (quoted where needed, schema included when given).
        public let table: String
        /// The column, quoted.
        public let column: String

        public init(table: String, column: String) {
            self.table = table
            self.column = column
        }

        /// The batch statement for the heap pages `[first, end)`: rows still NULL take the
        /// default, one page range per short transaction (a TID range scan, PostgreSQL 14+).
        public func batch(pages first: Int, to end: Int) -> String {
            "UPDATE \(table) SET \(column) = DEFAULT WHERE ctid >= '(\(first),0)'::tid AND ctid < '(\(end),0)'::tid AND \(column) IS NULL"
        }

        /// How many heap pages the table (the first argument) has now.
        public static let pageCount = "SELECT pg_relation_size($1::regclass) / current_setting('block_size')::bigint"
    }

    /// The phases, in order.
    public let phases: [Phase]
    /// One line per statement replaced: where it is, what runs instead and why.
    public let changes: [String]

    public init(phases: [Phase], changes: [String]) {
        self.phases = phases
        self.changes = changes
    }

    /// Appended to the history row's `script` of a rewritten migration: `info` and `history`
    /// show it, and nothing validates the script column (Flyway's validation does not either).
    public static let historyMark = " (rewritten)"
}

/// Decides the safe form of a migration: nil runs it as written.
public protocol MigrationRewriting: Sendable {
    func rewrite(_ migration: Migration) throws -> MigrationRewrite?
}

extension HistoryEntry {
    /// Whether the migration was run in its rewritten, safe form.
    public var wasRewritten: Bool { script.hasSuffix(MigrationRewrite.historyMark) }

    /// The script's file name, without the mark of a rewrite.
    public var scriptFile: String { wasRewritten ? String(script.dropLast(MigrationRewrite.historyMark.count)) : script }
}
