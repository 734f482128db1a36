/// What the statements before the current one did: the knowledge rules need beyond one tree.
/// Tables are known by name; the schema is left aside, as migrations rarely spell it.
package struct LintContext: Sendable {
    /// A foreign key added in the current migration, checked for an index at its end.
    package struct ForeignKey: Sendable, Equatable {
        package let table: String
        package let columns: [String]
        package let line: Int
    }

    /// A CHECK constraint known by name: whether it proves a column NOT NULL and is validated.
    struct Check: Sendable, Equatable {
        let table: String
        let notNullColumn: String?
        var validated: Bool
    }

    /// The PostgreSQL version the migrations will run on (major: 15).
    package var postgresVersion: Int
    /// Whether the current statement runs inside a transaction.
    package var inTransaction = false
    /// Tables created earlier in this migration (or this run, see ``LintPass``): rules about
    /// existing tables leave them alone.
    package private(set) var createdTables: Set<String> = []
    /// Indexes created earlier in this migration (or this run).
    package private(set) var createdIndexes: Set<String> = []
    /// Constraints added NOT VALID earlier in the current transaction.
    package private(set) var notValidInTransaction: Set<String> = []
    /// Existing tables locked ACCESS EXCLUSIVE earlier in the current transaction, in order, with their line.
    package private(set) var exclusivelyLocked: [(table: String, line: Int)] = []
    /// Column types from every statement read so far, earlier migrations included.
    package private(set) var columnTypes: [String: [String: ColumnType]] = [:]
    /// The leading columns of every index known so far (primary keys and unique constraints too).
    package private(set) var indexKeys: [String: [[String]]] = [:]
    package private(set) var foreignKeys: [ForeignKey] = []
    private var checks: [String: Check] = [:]

    package init(postgresVersion: Int) {
        self.postgresVersion = postgresVersion
    }

    /// True for a table created earlier in this migration (or this run).
    package func isNew(_ table: Relation) -> Bool {
        createdTables.contains(table.name)
    }

    /// True when a validated `CHECK (column IS NOT NULL)` lets SET NOT NULL skip its scan.
    package func hasValidatedNotNullCheck(table: Relation, column: String) -> Bool {
        checks.values.contains { $0.table == table.name && $0.notNullColumn == column && $0.validated }
    }

    /// The type a column was given, when an earlier statement says.
    package func type(of column: String, in table: Relation) -> ColumnType? {
        columnTypes[table.name]?[column]
    }

    /// Starts a migration: what was new in the last one is existing now, unless both run in one
    /// `migrate` (`keepingNewTables`), where nobody uses a table an earlier step created yet.
    mutating func beginMigration(inTransaction: Bool, keepingNewTables: Bool = false) {
        if !keepingNewTables {
            createdTables = []
            createdIndexes = []
        }
        foreignKeys = []
        self.inTransaction = inTransaction
        endTransaction()
    }

    /// Forgets what only lasts a transaction.
    mutating func endTransaction() {
        notValidInTransaction = []
        exclusivelyLocked = []
    }

    /// Takes in what `statement` did, after the rules have seen it.
    mutating func record(_ statement: LintStatement) {
        for table in statement.kind.accessExclusiveTables where !isNew(table) && !exclusivelyLocked.contains(where: { $0.table == table.name }) {
            exclusivelyLocked.append((table.name, statement.line))
        }
        switch statement.kind {
        case .createTable(let table, let columns, let constraints):
            createdTables.insert(table.name)
            columnTypes[table.name] = [:]
            indexKeys[table.name] = []
            for column in columns { add(column, to: table, line: statement.line) }
            for constraint in constraints { add(constraint, to: table, line: statement.line) }
        case .alterTable(let table, let commands):
            for command in commands { record(command, on: table, line: statement.line) }
        case .createIndex(let index):
            if let name = index.name { createdIndexes.insert(name) }
            if !index.partial { addIndex(Array(index.columns.prefix { $0 != nil }.compactMap { $0 }), on: index.table.name) }
        case .renameTable(let table, let newName):
            columnTypes[newName] = columnTypes.removeValue(forKey: table.name)
            indexKeys[newName] = indexKeys.removeValue(forKey: table.name)
        case .drop(.table, let tables, _):
            for table in tables {
                columnTypes[table.name] = nil
                indexKeys[table.name] = nil
            }
        default:
            break
        }
    }

    private mutating func record(_ command: AlterCommand, on table: Relation, line: Int) {
        switch command {
        case .addColumn(let column):
            add(column, to: table, line: line)
        case .dropColumn(let column):
            columnTypes[table.name]?[column] = nil
        case .alterType(let column, let type):
            columnTypes[table.name, default: [:]][column] = type
        case .addConstraint(let constraint):
            add(constraint, to: table, line: line)
        case .validateConstraint(let name):
            checks[name]?.validated = true
        default:
            break
        }
    }

    private mutating func add(_ column: ColumnDefinition, to table: Relation, line: Int) {
        columnTypes[table.name, default: [:]][column.name] = column.type
        if column.primaryKey || column.unique { addIndex([column.name], on: table.name) }
        if column.references != nil { foreignKeys.append(ForeignKey(table: table.name, columns: [column.name], line: line)) }
    }

    private mutating func add(_ constraint: TableConstraint, to table: Relation, line: Int) {
        let name = constraint.name ?? constraint.defaultName(on: table)
        switch constraint.kind {
        case .primaryKey, .unique:
            addIndex(constraint.columns, on: table.name)
        case .foreignKey:
            foreignKeys.append(ForeignKey(table: table.name, columns: constraint.columns, line: line))
        case .check:
            checks[name] = Check(table: table.name, notNullColumn: constraint.notNullColumn, validated: !constraint.notValid)
        case .exclusion, .other:
            break
        }
        if constraint.notValid { notValidInTransaction.insert(name) }
    }

    private mutating func addIndex(_ columns: [String], on table: String) {
        guard !columns.isEmpty else { return }
        indexKeys[table, default: []].append(columns)
    }
}
