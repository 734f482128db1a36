extension SchemaDiffer {
    /// Tables dropped, created and altered, with their foreign keys, indexes and comments.
    /// PostgreSQL adds every foreign key after the tables exist and drops them before any
    /// table; SQLite declares them in `CREATE TABLE` (which may name a table not yet made)
    /// and drops referencing tables first.
    func tables(deltas: [TableDelta], dropped: [Table], into plan: inout DiffPlan) {
        switch flavor {
        case .postgresql:
            for table in dropped {
                plan.dropForeignKeys += table.foreignKeys.map { .dropConstraint(table: table.name, .foreignKey($0)) }
                plan.dropTables.append(.dropTable(withoutForeignKeys(table)))
            }
        case .sqlite:
            plan.dropTables += Self.referencingFirst(dropped).map { .dropTable($0) }
        }
        for table in new.tables where old.table(table.name) == nil {
            switch flavor {
            case .postgresql:
                plan.createTables.append(.createTable(withoutForeignKeys(table)))
                plan.addForeignKeys += table.foreignKeys.map { .addConstraint(table: table.name, .foreignKey($0)) }
            case .sqlite:
                plan.createTables.append(.createTable(table))
            }
        }
        for delta in deltas {
            alter(delta, into: &plan)
        }
        if flavor == .postgresql { readdForeignKeysOnChangedKeys(deltas, into: &plan) }
    }

    private func withoutForeignKeys(_ table: Table) -> Table {
        var table = table
        table.foreignKeys = []
        return table
    }

    private func alter(_ delta: TableDelta, into plan: inout DiffPlan) {
        let name = delta.new.name
        if delta.needsRebuild {
            plan.alterTables.append(.rebuildTable(SQLiteTableRebuild(from: delta.old, to: delta.new)))
            return
        }
        plan.dropForeignKeys += delta.droppedForeignKeys.map { .dropConstraint(table: name, .foreignKey($0)) }
        plan.dropIndexes += delta.droppedIndexes.map { .dropIndex(table: name, $0) }
        plan.dropConstraints += delta.droppedConstraints.map { .dropConstraint(table: name, $0) }
        plan.dropColumns += delta.droppedColumns.map { .dropColumn(table: name, $0) }
        for (old, new) in delta.alteredColumns {
            alterColumn(old, in: delta.old, to: new, in: delta.new, into: &plan)
        }
        plan.alterTables += delta.addedColumns.map { .addColumn(table: name, $0) }
        plan.alterTables += delta.addedConstraints.map { .addConstraint(table: name, $0) }
        plan.addForeignKeys += delta.addedForeignKeys.map { .addConstraint(table: name, .foreignKey($0)) }
        plan.createIndexes += delta.addedIndexes.map { .createIndex(table: name, $0) }
        guard flavor == .postgresql else { return }
        if delta.old.comment != delta.new.comment {
            plan.comments.append(.setComment(.table(name), from: delta.old.comment, to: delta.new.comment))
        }
        for column in delta.new.columns {
            let previous = delta.old.column(column.name).flatMap { delta.droppedColumns.contains($0) ? nil : $0.comment }
            if previous != column.comment {
                plan.comments.append(.setComment(.column(table: name, column: column.name), from: previous, to: column.comment))
            }
        }
    }

    /// PostgreSQL's column alterations. A default is dropped before a type change and set
    /// again after it, since the old default may not cast to the new type.
    private func alterColumn(_ old: Column, in oldTable: Table, to new: Column, in newTable: Table, into plan: inout DiffPlan) {
        let table = newTable.name
        let typeChanged = !comparison.sameType(old, new)
        if typeChanged {
            if old.defaultValue != nil {
                plan.dropColumns.append(.alterColumnDefault(table: table, column: new.name, from: old.defaultValue, to: nil))
            }
            plan.alterTables.append(.alterColumnType(table: table, column: new.name, from: ColumnType(of: old), to: ColumnType(of: new)))
            if new.defaultValue != nil {
                plan.alterTables.append(.alterColumnDefault(table: table, column: new.name, from: nil, to: new.defaultValue))
            }
        } else if !comparison.sameText(old.defaultValue, new.defaultValue) {
            plan.alterTables.append(.alterColumnDefault(table: table, column: new.name, from: old.defaultValue, to: new.defaultValue))
        }
        let nullable = comparison.nullable(new, in: newTable)
        if comparison.nullable(old, in: oldTable) != nullable {
            plan.alterTables.append(.alterColumnNullability(table: table, column: new.name, nullable: nullable))
        }
        if old.identity != new.identity {
            plan.alterTables.append(.alterColumnIdentity(table: table, column: new.name, from: old.identity, to: new.identity))
        }
    }

    /// A foreign key that stays depends on the referenced key's index: when that primary key
    /// or unique constraint is dropped and made again, so is the foreign key.
    private func readdForeignKeysOnChangedKeys(_ deltas: [TableDelta], into plan: inout DiffPlan) {
        let changedKeys = Set(deltas.filter { delta in
            delta.droppedConstraints.contains { if case .check = $0 { false } else { true } }
        }.map(\.new.name))
        guard !changedKeys.isEmpty else { return }
        for delta in deltas {
            for key in delta.old.foreignKeys where changedKeys.contains(key.referencedTable) && !delta.droppedForeignKeys.contains(key) {
                plan.dropForeignKeys.append(.dropConstraint(table: delta.new.name, .foreignKey(key)))
                plan.addForeignKeys.append(.addConstraint(table: delta.new.name, .foreignKey(key)))
            }
        }
    }

    /// Tables ordered so that one referencing another by foreign key comes first.
    static func referencingFirst(_ tables: [Table]) -> [Table] {
        DependencyOrder.sorted(tables, name: \.name, dependencies: { $0.foreignKeys.map(\.referencedTable) }).reversed()
    }
}
