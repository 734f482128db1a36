/// Reads and writes another tool's history table through a ``Database``: the edge where the
/// decisions of ``Coexistence`` meet the engine.
struct CompanionTable {
    let name: TableName
    let database: any Database

    /// `schema_migrations` beside Strata's history table (in its schema, or the search path's first).
    init(beside history: TableName, database: any Database) {
        self.name = TableName(schema: history.schema, name: CompanionHistory.defaultTable)
        self.database = database
    }

    private var statements: CompanionStatements { CompanionStatements(table: name, dialect: database.dialect) }

    /// What the table holds, whichever tool wrote it; nil when there is no such table.
    func read() throws -> ForeignHistory? {
        guard try database.tableExists(name) else { return nil }
        let columnQuery = statements.columns
        let columns = try database.query(columnQuery.sql, columnQuery.arguments).compactMap { $0.first?.string }
        if columns.contains("dirty") {
            let row = try database.query(statements.readGolangMigrate, []).first
            return .golangMigrate(row.flatMap { row in
                row[0].int.map { GolangMigrateRow(version: Int64($0), dirty: row[1].bool ?? false) }
            })
        }
        guard columns.contains("version") else {
            throw CoexistenceError.wrongTable(expected: .golangMigrate, table: name, columns: columns)
        }
        return .dbmate(versions: try database.query(statements.readDbmate, []).compactMap { $0.first?.string })
    }

    /// What the table holds, refused when it is not the configured tool's.
    func read(expecting tool: CompanionHistory) throws -> ForeignHistory? {
        let found = try read()
        switch (tool, found) {
        case (_, nil), (.golangMigrate, .golangMigrate?), (.dbmate, .dbmate?): return found
        case (_, let other?): throw CoexistenceError.wrongTable(expected: tool, table: name, columns: other.columns)
        }
    }

    func create(_ tool: CompanionHistory) throws {
        for statement in statements.create(tool) { try database.execute(statement) }
    }

    func write(_ writes: [CompanionWrite]) throws {
        for statement in writes.flatMap(statements.statements) {
            try database.execute(statement.sql, statement.arguments)
        }
    }
}
