import Strata
import StrataLiquibase

/// Reads and writes `DATABASECHANGELOG` through a ``Database``: the edge where the runner's
/// decisions meet the engine.
package struct ChangeLogTable {
    package let statements: ChangeLogStatements
    let database: any Database

    package init(database: any Database, schema: String? = nil) {
        self.statements = ChangeLogStatements(dialect: database.dialect, schema: schema)
        self.database = database
    }

    package var name: TableName { statements.historyTable }

    package func exists() throws -> Bool { try database.tableExists(name) }

    /// Creates the table unless it exists; true when it did not.
    @discardableResult
    package func createIfMissing() throws -> Bool {
        guard try !exists() else { return false }
        try database.execute(statements.createHistory)
        return true
    }

    /// Every row in Liquibase's order; empty when there is no table yet.
    /// - Throws: ``ChangeLogRowError`` for a row with NULL (or, in ORDEREXECUTED, not a number)
    ///   in a column Liquibase's table declares NOT NULL: such a row cannot be ordered or matched.
    package func read() throws -> [ChangeLogRow] {
        guard try exists() else { return [] }
        return try database.query(statements.selectRows, []).enumerated().map { position, row in
            func required(_ index: Int) throws(ChangeLogRowError) -> String {
                guard let text = row[index].string else {
                    throw ChangeLogRowError(table: name, position: position + 1, id: row[0].string, column: Self.columns[index], found: nil)
                }
                return text
            }
            guard let order = row[4].int else {
                throw ChangeLogRowError(table: name, position: position + 1, id: row[0].string, column: "ORDEREXECUTED", found: row[4].string)
            }
            return ChangeLogRow(
                identity: ChangeSetIdentity(id: try required(0), author: try required(1), path: try required(2)),
                dateExecuted: try required(3), orderExecuted: order, execType: try required(5),
                checksum: row[6].string, description: row[7].string, comments: row[8].string, tag: row[9].string,
                liquibase: row[10].string, contexts: row[11].string, labels: row[12].string, deploymentID: row[13].string)
        }
    }

    /// The columns of ``ChangeLogStatements/selectRows``, for messages.
    static let columns = ["ID", "AUTHOR", "FILENAME", "DATEEXECUTED", "ORDEREXECUTED", "EXECTYPE"]

    /// Records a changeset: an INSERT, or for RERAN an UPDATE of its row.
    package func record(_ row: ChangeLogWrite) throws {
        try run(row.execType == .reran ? statements.update(row) : statements.insert(row))
    }

    package func delete(_ identity: ChangeSetIdentity) throws {
        try run(statements.delete(identity))
    }

    package func setChecksum(_ checksum: String?, of identity: ChangeSetIdentity) throws {
        try run(statements.setChecksum(checksum, of: identity))
    }

    package func clearChecksums() throws {
        try database.execute(statements.clearChecksums)
    }

    package func tagNewest(_ tag: String) throws {
        try run(statements.tagNewest(tag))
    }

    private func run(_ statement: SQLStatement) throws {
        try database.execute(statement.sql, statement.arguments)
    }
}
