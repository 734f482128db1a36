import StrataSchema

/// What a `CREATE TABLE` statement says that SQLite's pragmas do not: CHECK constraints,
/// constraint names, generated expressions, collations, `AUTOINCREMENT` and whether foreign
/// keys are deferrable. The pragmas stay the source for everything they do report.
struct SQLiteTableDefinition {
    struct ColumnDetails {
        var collation: String?
        var generated: String?
        var generatedIsVirtual = false
    }

    struct ForeignKeyDetails {
        var name: String?
        var columns: [String]
        var referencedTable: String
        var deferrable: Deferrability
    }

    /// Keyed by lower-cased column name, as SQLite compares them.
    private(set) var columns: [String: ColumnDetails] = [:]
    private(set) var checks: [CheckConstraint] = []
    private(set) var primaryKeyName: String?
    private(set) var autoincrement = false
    /// Names of `UNIQUE` constraints, keyed by their lower-cased columns.
    private(set) var uniqueNames: [[String]: String] = [:]
    private(set) var foreignKeys: [ForeignKeyDetails] = []

    private let tokens: DefinitionTokens

    init(sql: String) {
        tokens = DefinitionTokens(sql)
        guard let open = tokens.firstTopLevel(in: 0..<tokens.count, where: { tokens.isSymbol($0, "(") }) else { return }
        for item in tokens.items(in: open + 1..<tokens.closing(open)) {
            if Self.tableConstraintStarts.contains(where: { tokens.isKeyword(item.lowerBound, $0) }) {
                readConstraints(in: item, column: nil)
            } else {
                let column = tokens.name(item.lowerBound)
                readConstraints(in: item.lowerBound + 1..<item.upperBound, column: column)
            }
        }
    }

    func column(_ name: String) -> ColumnDetails { columns[name.lowercased()] ?? ColumnDetails() }

    /// The name and deferrability written for a foreign key the pragma lists.
    func foreignKey(columns: [String], referencing table: String) -> ForeignKeyDetails? {
        let key = columns.map { $0.lowercased() }
        return foreignKeys.first { $0.columns == key && $0.referencedTable == table.lowercased() }
    }

    private static let tableConstraintStarts = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
    /// Keywords that start a column constraint, which ends a `REFERENCES` clause.
    private static let columnConstraintStarts = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS", "NULL"]

    /// Walks one column definition (after its name) or one table constraint.
    private mutating func readConstraints(in range: Range<Int>, column: String?) {
        var pendingName: String?
        var keyColumns = column.map { [$0.lowercased()] } ?? []
        var index = range.lowerBound
        while index < range.upperBound {
            var next = tokens.isSymbol(index, "(") ? tokens.closing(index) + 1 : index + 1
            if tokens.isKeyword(index, "CONSTRAINT") {
                pendingName = tokens.name(index + 1)
                next = index + 2
            } else if tokens.isKeyword(index, "PRIMARY") {
                primaryKeyName = pendingName
                pendingName = nil
            } else if tokens.isKeyword(index, "AUTOINCREMENT") {
                autoincrement = true
            } else if tokens.isKeyword(index, "UNIQUE") {
                let columns = column == nil ? lowercased(tokens.names(inParenthesesAt: index + 1)) : keyColumns
                if let pendingName { uniqueNames[columns] = pendingName }
                pendingName = nil
            } else if tokens.isKeyword(index, "FOREIGN") {
                keyColumns = lowercased(tokens.names(inParenthesesAt: index + 2))
            } else if tokens.isKeyword(index, "CHECK"), tokens.isSymbol(index + 1, "(") {
                let close = tokens.closing(index + 1)
                checks.append(CheckConstraint(name: pendingName, expression: tokens.text(index + 2..<close)))
                pendingName = nil
                next = close + 1
            } else if let column, tokens.isKeyword(index, "COLLATE") {
                columns[column.lowercased(), default: ColumnDetails()].collation = tokens.name(index + 1)
                next = index + 2
            } else if let column, tokens.isKeyword(index, "AS"), tokens.isSymbol(index + 1, "(") {
                let close = tokens.closing(index + 1)
                columns[column.lowercased(), default: ColumnDetails()].generated = tokens.text(index + 2..<close)
                columns[column.lowercased(), default: ColumnDetails()].generatedIsVirtual = !tokens.isKeyword(close + 1, "STORED")
                next = close + 1
            } else if tokens.isKeyword(index, "REFERENCES") {
                next = readReferences(at: index, in: range, columns: keyColumns, name: pendingName)
                pendingName = nil
            }
            index = next
        }
    }

    /// Records a `REFERENCES` clause and returns the index just past it.
    private mutating func readReferences(at start: Int, in range: Range<Int>, columns: [String], name: String?) -> Int {
        var deferrable = Deferrability.notDeferrable
        var index = start + 2
        while index < range.upperBound {
            // `SET NULL` and `SET DEFAULT` are actions, not the constraints those words start.
            let endsClause = (Self.columnConstraintStarts.contains { tokens.isKeyword(index, $0) } && !tokens.isKeyword(index - 1, "SET"))
                || (tokens.isKeyword(index, "NOT") && tokens.isKeyword(index + 1, "NULL"))
            if endsClause { break }
            if tokens.isKeyword(index, "DEFERRABLE") {
                if tokens.isKeyword(index - 1, "NOT") {
                    deferrable = .notDeferrable
                } else {
                    deferrable = tokens.isKeyword(index + 1, "INITIALLY") && tokens.isKeyword(index + 2, "DEFERRED") ? .initiallyDeferred : .initiallyImmediate
                }
            }
            index = tokens.isSymbol(index, "(") ? tokens.closing(index) + 1 : index + 1
        }
        foreignKeys.append(ForeignKeyDetails(
            name: name, columns: columns, referencedTable: tokens.name(start + 1).lowercased(), deferrable: deferrable))
        return index
    }

    private func lowercased(_ names: [String]) -> [String] { names.map { $0.lowercased() } }
}
