/// A data change that runs in short batches instead of one long transaction: an `UPDATE` or
/// `DELETE` over one table, cut by its primary key (or, on PostgreSQL, by `ctid` where there is
/// none) into ranges that each commit on their own, so live traffic never waits long for a row
/// and the change resumes where it stopped after a crash.
///
/// SQL migrations declare one with `-- strata:backfill` on the line before the statement; code
/// migrations call ``MigrationContext/backfill(_:)``; a safe rewrite builds one directly.
public struct Backfill: Sendable, Hashable {
    /// What each batch does to the rows of its range.
    public enum Change: Sendable, Hashable {
        /// `UPDATE … SET <assignments>`: the assignments as written, without `SET`.
        case update(assignments: String)
        /// `DELETE`.
        case delete
    }

    /// The table the statement changes.
    public let table: TableName
    /// The name the statement gives the table (`UPDATE accounts AS a`), which its assignments
    /// and condition may use; nil when it gives none.
    public let alias: String?
    /// The change each batch makes.
    public let change: Change
    /// The statement's own `WHERE` condition, without `WHERE`: only rows that still match it are
    /// changed, so a rerun skips the work already done. Nil for every row.
    public let condition: String?

    /// A backfill from its parts, each as SQL text of the database's dialect.
    public init(table: TableName, alias: String? = nil, change: Change, condition: String? = nil) {
        self.table = table
        self.alias = alias
        self.change = change
        self.condition = condition
    }
}

extension Backfill {
    /// The statement the batches carry out together, as one: what a dry run shows beside the
    /// note that it runs in batches, and what would run were it not batched.
    public func statement(in dialect: any SQLDialect) -> String {
        let target = dialect.qualified(table) + (alias.map { " AS " + dialect.quote($0) } ?? "")
        let filter = condition.map { " WHERE " + Self.closed($0) } ?? ""
        return switch change {
        case .update(let assignments): "UPDATE \(target) SET \(Self.closed(assignments))\(filter)"
        case .delete: "DELETE FROM \(target)\(filter)"
        }
    }

    /// SQL as written, with a line break after it when its last line ends in a comment, so
    /// that the comment cannot swallow what follows.
    static func closed(_ sql: String) -> String {
        (sql.split(separator: "\n").last ?? "").contains("--") ? sql + "\n" : sql
    }
}

/// Reads an `UPDATE` or `DELETE` into a ``Backfill``: PostgreSQL's grammar does it (StrataLint's
/// `PostgresBackfillReader`), so that the core needs no parser of its own.
public protocol BackfillStatementReader: Sendable {
    /// The backfill a statement describes.
    /// - Throws: ``BackfillStatementError`` when the statement cannot be cut into batches.
    func backfill(from statement: String) throws(BackfillStatementError) -> Backfill
}

/// A statement marked `-- strata:backfill` that cannot run in batches.
public struct BackfillStatementError: Error, Sendable, Equatable {
    /// Why, and what to write instead.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
