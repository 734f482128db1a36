import StrataSchema

/// A schema followed through the changes of a changeset, so that a change SQLite's
/// `ALTER TABLE` cannot make becomes the rebuild of a table whose columns, keys and indexes
/// are known: those of the schema the runner read before the changeset, with the changeset's
/// earlier changes applied.
extension Schema {
    /// The schema after `change`, for the changes that alter tables; others leave it as it is.
    func applying(_ change: SchemaChange) -> Schema {
        var schema = self
        func edit(_ name: QualifiedName, _ body: (inout Table) -> Void) {
            guard let index = schema.tables.firstIndex(where: { Self.sameName($0.name, name) }) else { return }
            body(&schema.tables[index])
        }
        func editColumn(_ table: QualifiedName, _ column: String, _ body: @escaping (inout Column) -> Void) {
            edit(table) { table in
                guard let index = table.columns.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) else { return }
                body(&table.columns[index])
            }
        }
        switch change {
        case .createTable(let table):
            schema.tables.append(table)
        case .dropTable(let table):
            schema.tables.removeAll { Self.sameName($0.name, table.name) }
        case .renameTable(let from, let to):
            edit(from) { $0.name = to }
        case .rebuildTable(let rebuild):
            edit(rebuild.from.name) { $0 = rebuild.to }
        case .addColumn(let table, let column):
            edit(table) { $0.columns.append(column) }
        case .dropColumn(let table, let column):
            edit(table) { $0.columns.removeAll { $0.name.lowercased() == column.name.lowercased() } }
        case .renameColumn(let table, let from, let to):
            editColumn(table, from) { $0.name = to }
        case .alterColumnType(let table, let column, _, let to, _):
            editColumn(table, column) { $0.type = to.type }
        case .alterColumnNullability(let table, let column, let nullable):
            editColumn(table, column) { $0.nullable = nullable }
        case .alterColumnDefault(let table, let column, _, let to):
            editColumn(table, column) { $0.defaultValue = to }
        case .addConstraint(let table, let constraint):
            edit(table) { table in
                switch constraint {
                case .primaryKey(let key): table.primaryKey = key
                case .unique(let unique): table.uniques.append(unique)
                case .foreignKey(let key): table.foreignKeys.append(key)
                case .check(let check): table.checks.append(check)
                }
            }
        case .dropConstraint(let table, let constraint):
            edit(table) { table in
                switch constraint {
                case .primaryKey: table.primaryKey = nil
                case .unique(let unique): table.uniques.removeAll { $0.name?.lowercased() == unique.name?.lowercased() }
                case .foreignKey(let key): table.foreignKeys.removeAll { $0.name?.lowercased() == key.name?.lowercased() }
                case .check(let check): table.checks.removeAll { $0.name?.lowercased() == check.name?.lowercased() }
                }
            }
        case .createIndex(let table, let index):
            edit(table) { $0.indexes.append(index) }
        case .dropIndex(_, let index):
            for position in schema.tables.indices {
                schema.tables[position].indexes.removeAll { $0.name.lowercased() == index.name.lowercased() }
            }
        default:
            break
        }
        return schema
    }

    /// SQLite's rebuild of the table `change` alters, or nil when the table is not in the schema.
    func rebuild(for change: SchemaChange) -> SchemaChange? {
        let name: QualifiedName
        switch change {
        case .alterColumnType(let table, _, _, _, _), .alterColumnNullability(let table, _, _), .alterColumnDefault(let table, _, _, _),
             .addConstraint(let table, _), .dropConstraint(let table, _), .addColumn(let table, _):
            name = table
        default:
            return nil
        }
        guard let before = tables.first(where: { Self.sameName($0.name, name) }),
              let after = applying(change).tables.first(where: { Self.sameName($0.name, name) }) else { return nil }
        return .rebuildTable(SQLiteTableRebuild(from: before, to: after))
    }

    /// SQLite compares names without regard to case, and `main` is its default namespace.
    static func sameName(_ left: QualifiedName, _ right: QualifiedName) -> Bool {
        left.name.lowercased() == right.name.lowercased() && (left.schema ?? "main") == (right.schema ?? "main")
    }
}
