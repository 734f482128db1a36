/// One diff's work: the old schema with the renames applied to it, so that both sides name
/// things alike, then each kind of object sorted into the phases of a ``DiffPlan``.
struct SchemaDiffer {
    let old: Schema
    let new: Schema
    let flavor: SQLFlavor
    let comparison: SchemaComparison
    private let renameChanges: [SchemaChange]
    /// Tables whose column renames were given: no rename is guessed there.
    private let tablesWithColumnRenames: Set<QualifiedName>

    init(from: Schema, to: Schema, flavor: SQLFlavor, renames: SchemaRenames) throws(SchemaChangeError) {
        let old = from.normalized()
        let new = to.normalized()
        var renameChanges: [SchemaChange] = []
        for (oldName, newName) in renames.tables.sorted(by: { $0.key < $1.key }) {
            guard old.table(oldName) != nil, new.table(newName) != nil else { throw .renamedTableNotFound(from: oldName, to: newName) }
            renameChanges.append(.renameTable(from: oldName, to: newName))
        }
        for (table, columns) in renames.columns.sorted(by: { $0.key < $1.key }) {
            let oldTable = old.table(renames.tables.first { $0.value == table }?.key ?? table)
            for (oldColumn, newColumn) in columns.sorted(by: { $0.key < $1.key }) {
                guard oldTable?.column(oldColumn) != nil, new.table(table)?.column(newColumn) != nil else {
                    throw .renamedColumnNotFound(table: table, from: oldColumn, to: newColumn)
                }
                renameChanges.append(.renameColumn(table: table, from: oldColumn, to: newColumn))
            }
        }
        self.old = Self.applying(renames, to: old)
        self.new = new
        self.flavor = flavor
        self.comparison = SchemaComparison(flavor: flavor, old: self.old, new: new)
        self.renameChanges = renameChanges
        tablesWithColumnRenames = Set(renames.columns.filter { !$0.value.isEmpty }.keys)
    }

    func diff() throws(SchemaChangeError) -> SchemaDiff {
        var plan = DiffPlan()
        plan.renames = renameChanges
        let deltas = new.tables.compactMap { table in
            old.table(table.name).map { TableDelta(old: $0, new: table, comparison: comparison, triggers: old.triggers.filter { $0.table == table.name }) }
        }
        let droppedTables = old.tables.filter { new.table($0.name) == nil }
        namespacesAndExtensions(into: &plan)
        try types(droppedTables: droppedTables, deltas: deltas, into: &plan)
        routinesAndOpaqueObjects(into: &plan)
        tables(deltas: deltas, dropped: droppedTables, into: &plan)
        viewsAndTriggers(deltas: deltas, droppedTables: droppedTables, into: &plan)
        return SchemaDiff(flavor: flavor, changes: plan.ordered, possibleRenames: possibleRenames(deltas))
    }

    /// A dropped column and an added one of the same type, paired in column order.
    private func possibleRenames(_ deltas: [TableDelta]) -> [PossibleRename] {
        deltas.filter { !tablesWithColumnRenames.contains($0.new.name) }.flatMap { delta in
            var added = delta.addedColumns.filter { delta.old.column($0.name) == nil }
            return delta.droppedColumns.filter { delta.new.column($0.name) == nil }.compactMap { dropped -> PossibleRename? in
                guard let match = added.firstIndex(where: { comparison.sameType($0, dropped) }) else { return nil }
                return PossibleRename(table: delta.new.name, from: dropped.name, to: added.remove(at: match).name)
            }
        }
    }

    /// The old schema as if the renames were done: tables, columns and what refers to them,
    /// including the table's own expressions (checks, index keys and predicates, generated columns).
    private static func applying(_ renames: SchemaRenames, to schema: Schema) -> Schema {
        func tableName(_ name: QualifiedName) -> QualifiedName { renames.tables[name] ?? name }
        func columnNames(_ names: [String], of table: QualifiedName) -> [String] {
            let map = renames.columns[tableName(table)] ?? [:]
            return names.map { map[$0] ?? $0 }
        }
        var schema = schema
        schema.tables = schema.tables.map { table in
            let columns = { (names: [String]) in columnNames(names, of: table.name) }
            var renamed = table
            renamed.name = tableName(table.name)
            for index in renamed.columns.indices { renamed.columns[index].name = columns([table.columns[index].name])[0] }
            renamed.primaryKey?.columns = columns(table.primaryKey?.columns ?? [])
            for index in renamed.uniques.indices { renamed.uniques[index].columns = columns(table.uniques[index].columns) }
            for index in renamed.foreignKeys.indices {
                let key = table.foreignKeys[index]
                renamed.foreignKeys[index].columns = columns(key.columns)
                renamed.foreignKeys[index].referencedTable = tableName(key.referencedTable)
                renamed.foreignKeys[index].referencedColumns = columnNames(key.referencedColumns, of: key.referencedTable)
            }
            let map = renames.columns[renamed.name] ?? [:]
            func text(_ text: String) -> String {
                map.reduce(text) { text, rename in SQLNormalization.renaming(text, rename.key, to: rename.value) }
            }
            for index in renamed.indexes.indices {
                renamed.indexes[index].include = columns(table.indexes[index].include)
                renamed.indexes[index].predicate = table.indexes[index].predicate.map(text)
                for key in renamed.indexes[index].keys.indices {
                    let expression = table.indexes[index].keys[key].expression
                    renamed.indexes[index].keys[key].expression = renamed.indexes[index].keys[key].isColumn ? columns([expression])[0] : text(expression)
                }
            }
            for index in renamed.checks.indices { renamed.checks[index].expression = text(table.checks[index].expression) }
            for index in renamed.columns.indices { renamed.columns[index].generated = table.columns[index].generated.map(text) }
            return renamed
        }
        schema.views = schema.views.map { view in
            var renamed = view
            renamed.dependsOn = view.dependsOn.map(tableName)
            return renamed
        }
        schema.triggers = schema.triggers.map { trigger in
            var renamed = trigger
            renamed.table = tableName(trigger.table)
            return renamed
        }
        return schema.normalized()
    }
}
