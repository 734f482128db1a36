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

/// What a SQLite table rebuild would break: the views that read the table (and the views that
/// read those), which make the rebuild's rename fail, and the triggers on it or naming it,
/// which its `DROP TABLE` would lose. They are dropped before the rebuild and made again after.
extension Schema {
    func rebuildDependents(of table: QualifiedName) -> (views: [View], triggers: [Trigger]) {
        func reads(_ view: View, _ name: QualifiedName) -> Bool {
            view.dependsOn.contains { Self.sameName($0, name) } || Self.mentions(view.definition, name.name)
        }
        var names = [table]
        var views: [View] = []
        var grew = true
        while grew {
            let more = self.views.filter { view in
                !views.contains { Self.sameName($0.name, view.name) } && names.contains { reads(view, $0) }
            }
            views += more
            names += more.map(\.name)
            grew = !more.isEmpty
        }
        let triggers = self.triggers.filter { trigger in
            names.contains { Self.sameName(trigger.table, $0) || Self.mentions(trigger.definition, $0.name) }
        }
        return (Self.creationOrder(views), triggers)
    }

    /// Views ordered so that each comes after the views (of the list) it reads.
    static func creationOrder(_ views: [View]) -> [View] {
        var ordered: [View] = []
        var pending = views
        while !pending.isEmpty {
            let ready = pending.filter { view in
                !pending.contains { other in other.name != view.name && (view.dependsOn.contains(other.name) || mentions(view.definition, other.name.name)) }
            }
            let next = ready.isEmpty ? [pending[0]] : ready
            ordered += next
            pending.removeAll { view in next.contains { $0.name == view.name } }
        }
        return ordered
    }

    /// Whether `text` names `identifier` as a whole word, ignoring case.
    static func mentions(_ text: String, _ identifier: String) -> Bool {
        let text = text.lowercased()
        let identifier = identifier.lowercased()
        func isWordCharacter(_ character: Character?) -> Bool {
            character.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" } ?? false
        }
        var searchStart = text.startIndex
        while let range = text.range(of: identifier, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !isWordCharacter(before) && !isWordCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }
}
