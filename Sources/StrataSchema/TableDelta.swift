/// What differs between a table in the old schema (renames applied) and in the new one.
struct TableDelta {
    let old: Table
    let new: Table
    private(set) var addedColumns: [Column] = []
    private(set) var droppedColumns: [Column] = []
    private(set) var alteredColumns: [(old: Column, new: Column)] = []
    /// Primary keys, unique constraints and checks.
    private(set) var droppedConstraints: [TableConstraint] = []
    private(set) var addedConstraints: [TableConstraint] = []
    private(set) var droppedForeignKeys: [ForeignKey] = []
    private(set) var addedForeignKeys: [ForeignKey] = []
    private(set) var droppedIndexes: [Index] = []
    private(set) var addedIndexes: [Index] = []
    /// SQLite only: the change needs the twelve-step rebuild.
    private(set) var needsRebuild = false

    init(old: Table, new: Table, comparison: SchemaComparison, triggers: [Trigger]) {
        self.old = old
        self.new = new
        for column in new.columns {
            guard let previous = old.column(column.name) else {
                addedColumns.append(column)
                continue
            }
            if !comparison.sameText(previous.generated, column.generated) {
                // A generated expression cannot be altered: the column is made again.
                droppedColumns.append(previous)
                addedColumns.append(column)
            } else if !comparison.sameColumn(previous, in: old, column, in: new) {
                alteredColumns.append((previous, column))
            }
        }
        droppedColumns += old.columns.filter { new.column($0.name) == nil }
        // PostgreSQL cannot retype a column a generated one reads: that one is made again around it.
        let retyped = typeChanges.map(\.new.name)
        for column in new.columns where column.generated != nil && !addedColumns.contains(column) {
            guard let expression = column.generated, retyped.contains(where: { SQLNormalization.mentions(expression, $0) }),
                  let previous = old.column(column.name) else { continue }
            droppedColumns.append(previous)
            addedColumns.append(column)
        }
        func constraints(_ table: Table) -> [TableConstraint] {
            (table.primaryKey.map { [.primaryKey($0)] } ?? []) + table.uniques.map { .unique($0) } + table.checks.map { .check($0) }
        }
        (droppedConstraints, addedConstraints) = SchemaComparison.unmatched(constraints(old), constraints(new), comparison.matches)
        (droppedForeignKeys, addedForeignKeys) = SchemaComparison.unmatched(old.foreignKeys, new.foreignKeys) {
            comparison.matches(.foreignKey($0), .foreignKey($1))
        }
        (droppedIndexes, addedIndexes) = SchemaComparison.unmatched(old.indexes, new.indexes, comparison.sameIndex)
        if comparison.flavor == .sqlite {
            needsRebuild = !alteredColumns.isEmpty || !droppedConstraints.isEmpty || !addedConstraints.isEmpty
                || !droppedForeignKeys.isEmpty || !addedForeignKeys.isEmpty || !comparison.sameOptions(old, new)
                || addedColumns.contains { SQLiteTableRebuild.reasonToRebuild(adding: $0) != nil }
                || droppedColumns.contains { !canDropInPlace($0, triggers: triggers) }
        }
    }

    var typeChanges: [(old: Column, new: Column)] {
        alteredColumns.filter { SQLNormalization.type($0.old.type, .postgresql) != SQLNormalization.type($0.new.type, .postgresql)
            || $0.old.collation != $0.new.collation }
    }

    /// Views that read the table must be dropped before and recreated after.
    var disturbsViews: Bool { needsRebuild || !droppedColumns.isEmpty || !typeChanges.isEmpty }

    /// Whether SQLite's `DROP COLUMN` takes it: nothing in the table or its triggers uses it.
    private func canDropInPlace(_ column: Column, triggers: [Trigger]) -> Bool {
        let name = column.name
        let keyed = (old.primaryKey?.columns ?? []) + old.uniques.flatMap(\.columns) + old.foreignKeys.flatMap(\.columns)
        let texts = old.checks.map(\.expression) + old.columns.compactMap(\.generated) + triggers.map(\.definition)
            + old.indexes.flatMap { index in index.keys.map(\.expression) + [index.predicate].compactMap { $0 } }
        return !keyed.contains(name) && !texts.contains { SQLNormalization.mentions($0, name) }
    }
}
