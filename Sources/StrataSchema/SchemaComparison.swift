/// Whether two objects are the same as the engine would store them: what `diff` asks before
/// it writes a change. A constraint without a name matches one of any name, since the engine
/// names it on creation.
struct SchemaComparison {
    let flavor: SQLFlavor
    let old: Schema
    let new: Schema

    func sameText(_ a: String?, _ b: String?) -> Bool {
        SQLNormalization.expression(a) == SQLNormalization.expression(b)
    }

    func sameType(_ a: Column, _ b: Column) -> Bool {
        SQLNormalization.type(a.type, flavor) == SQLNormalization.type(b.type, flavor) && a.collation == b.collation
    }

    /// PostgreSQL makes key and identity columns NOT NULL; SQLite's `INTEGER PRIMARY KEY` never holds NULL.
    func nullable(_ column: Column, in table: Table) -> Bool {
        let key = table.primaryKey?.columns ?? []
        switch flavor {
        case .postgresql: return column.nullable && column.identity == nil && !key.contains(column.name)
        case .sqlite: return column.nullable && !(key == [column.name] && SQLNormalization.type(column.type, flavor) == "integer")
        }
    }

    /// The same column apart from its comment.
    func sameColumn(_ a: Column, in oldTable: Table, _ b: Column, in newTable: Table) -> Bool {
        sameType(a, b) && nullable(a, in: oldTable) == nullable(b, in: newTable) && sameText(a.defaultValue, b.defaultValue)
            && a.identity == b.identity && sameText(a.generated, b.generated)
    }

    func matches(_ a: TableConstraint, _ b: TableConstraint) -> Bool {
        switch (a, b) {
        case (.primaryKey(let x), .primaryKey(let y)):
            sameName(x.name, y.name) && x.columns == y.columns && (flavor == .postgresql || x.autoincrement == y.autoincrement)
        case (.unique(let x), .unique(let y)):
            sameName(x.name, y.name) && x.columns == y.columns && x.deferrable == y.deferrable
        case (.foreignKey(let x), .foreignKey(let y)):
            sameName(x.name, y.name) && x.columns == y.columns && x.referencedTable == y.referencedTable
                && referencedColumns(x, in: old) == referencedColumns(y, in: new) && x.onDelete == y.onDelete
                && x.onUpdate == y.onUpdate && x.deferrable == y.deferrable
        case (.check(let x), .check(let y)):
            sameName(x.name, y.name) && sameText(x.expression, y.expression)
        default:
            false
        }
    }

    private func sameName(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }

    /// A foreign key that names no columns references its table's primary key.
    private func referencedColumns(_ key: ForeignKey, in schema: Schema) -> [String] {
        key.referencedColumns.isEmpty ? schema.table(key.referencedTable)?.primaryKey?.columns ?? [] : key.referencedColumns
    }

    func sameIndex(_ a: Index, _ b: Index) -> Bool {
        func method(_ index: Index) -> String { index.method?.lowercased() ?? "btree" }
        func key(_ key: Index.Key) -> Index.Key {
            var key = key
            if !key.isColumn { key.expression = SQLNormalization.expression(key.expression) }
            return key
        }
        return a.name == b.name && a.unique == b.unique && method(a) == method(b) && a.keys.map(key) == b.keys.map(key)
            && a.include == b.include && sameText(a.predicate, b.predicate)
    }

    func sameOptions(_ a: Table, _ b: Table) -> Bool {
        a.options.map { SQLNormalization.expression($0) }.sorted() == b.options.map { SQLNormalization.expression($0) }.sorted()
    }

    /// The items of `old` with no match in `new`, and those of `new` with none in `old`,
    /// each matched at most once.
    static func unmatched<T>(_ old: [T], _ new: [T], _ same: (T, T) -> Bool) -> (removed: [T], added: [T]) {
        var remaining = new
        var removed: [T] = []
        for item in old {
            if let match = remaining.firstIndex(where: { same(item, $0) }) {
                remaining.remove(at: match)
            } else {
                removed.append(item)
            }
        }
        return (removed, remaining)
    }
}
