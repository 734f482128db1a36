/// A statement with its arguments, which a driver runs with parameters or a preview renders
/// with literals.
package struct SQLStatement: Sendable, Equatable {
    package let sql: String
    package let arguments: [SQLValue]

    package init(_ sql: String, _ arguments: [SQLValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }
}

/// Where a new history row's rank comes from.
enum HistoryRank: Sendable, Equatable {
    /// A rank read from the table under the lock.
    case value(Int)
    /// One above the table's highest, computed by the statement itself: for scripts written
    /// without a database.
    case next
}

/// The statements that write the history table, in one dialect. The live table and the
/// offline scripts use the same ones, so a script applied by hand leaves the same history.
struct HistoryStatements: Sendable {
    let table: TableName
    let dialect: any SQLDialect

    init(table: TableName, dialect: any SQLDialect) {
        self.table = table
        self.dialect = dialect
    }

    private var name: String { dialect.qualified(table) }

    /// The newest row's rank as SQL: in a script that computes ranks as it runs, the row just appended.
    var newestRank: String { "(SELECT max(installed_rank) FROM \(name))" }

    private func rankExpression(_ rank: HistoryRank, parameter: Int) -> (sql: String, arguments: [SQLValue]) {
        switch rank {
        case .value(let value): (dialect.parameter(parameter), [.integer(Int64(value))])
        case .next: ("(SELECT coalesce(max(installed_rank), 0) + 1 FROM \(name))", [])
        }
    }

    func insert(_ row: NewHistoryRow, installedBy: String, rank: HistoryRank) -> SQLStatement {
        let (rankSQL, rankArguments) = rankExpression(rank, parameter: 1)
        let first = rankArguments.count + 1
        let parameters = (first..<(first + 8)).map(dialect.parameter).joined(separator: ", ")
        return SQLStatement(
            """
            INSERT INTO \(name) (installed_rank, version, description, type, script, checksum, installed_by, \
            execution_time, success) VALUES (\(rankSQL), \(parameters))
            """,
            rankArguments + [
                row.version.map { .text($0.text) } ?? .null, .text(row.description), .text(row.type.rawValue),
                .text(row.script), row.checksum.map { .integer(Int64($0)) } ?? .null, .text(installedBy),
                .integer(Int64(row.executionTime)), .bool(row.success),
            ])
    }

    /// Records how a migration run outside a transaction ended; `.next` means the newest row.
    func finish(rank: HistoryRank, executionTime: Int, success: Bool) -> SQLStatement {
        switch rank {
        case .value(let value):
            SQLStatement(
                "UPDATE \(name) SET execution_time = \(dialect.parameter(1)), success = \(dialect.parameter(2)) WHERE installed_rank = \(dialect.parameter(3))",
                [.integer(Int64(executionTime)), .bool(success), .integer(Int64(value))])
        case .next:
            SQLStatement(
                "UPDATE \(name) SET execution_time = \(dialect.parameter(1)), success = \(dialect.parameter(2)) WHERE installed_rank = \(newestRank)",
                [.integer(Int64(executionTime)), .bool(success)])
        }
    }

    func realign(rank: Int, checksum: Int32?, description: String) -> SQLStatement {
        SQLStatement(
            "UPDATE \(name) SET checksum = \(dialect.parameter(1)), description = \(dialect.parameter(2)) WHERE installed_rank = \(dialect.parameter(3))",
            [checksum.map { .integer(Int64($0)) } ?? .null, .text(description), .integer(Int64(rank))])
    }

    func delete(rank: Int) -> SQLStatement {
        SQLStatement("DELETE FROM \(name) WHERE installed_rank = \(dialect.parameter(1))", [.integer(Int64(rank))])
    }
}
