import StrataSchema

/// One random change to a schema, keeping it valid: what uses a dropped column or table goes
/// with it, as a developer would remove it from a schema file.
extension RandomSchema {
    mutating func mutate(_ schema: Schema, _ rng: inout SplitMix) -> Schema {
        guard let index = schema.tables.indices.randomElement(using: &rng) else { return addTable(schema, &rng) }
        var schema = schema
        var table = schema.tables[index]
        let plain = table.columns.indices.filter { table.columns[$0].name != "id" && !table.columns[$0].name.hasPrefix("ref") }
        switch Int.random(in: 0...9, using: &rng) {
        case 0:
            return addTable(schema, &rng).normalized()
        case 1:
            return dropTable(table.name, from: schema)
        case 2:
            return addView(schema, &rng).normalized()
        case 3 where !schema.views.isEmpty:
            schema.views.remove(at: schema.views.indices.randomElement(using: &rng)!)
            return schema
        case 4:
            table.columns.append(addableColumn(&rng))
        case 5 where !plain.isEmpty:
            return dropColumn(table.columns[plain.randomElement(using: &rng)!].name, of: table.name, from: schema)
        case 6 where !plain.isEmpty:
            let position = plain.randomElement(using: &rng)!
            guard let type = retypes(table.columns[position].type).randomElement(using: &rng) else { return schema }
            table.columns[position].type = type
            table.columns[position].defaultValue = table.columns[position].defaultValue == nil ? nil : defaults(for: type).first
            table.columns[position].nullable = table.columns[position].defaultValue == nil || table.columns[position].nullable
        case 7 where !plain.isEmpty:
            let position = plain.randomElement(using: &rng)!
            let choices = defaults(for: table.columns[position].type)
            table.columns[position].defaultValue = Bool.random(using: &rng) ? choices.randomElement(using: &rng) : nil
            table.columns[position].nullable.toggle()
        case 8:
            table = addConstraint(table, schema, &rng)
        default:
            table.uniques = table.uniques.filter { _ in Bool.random(using: &rng) }
            table.checks = table.checks.filter { _ in Bool.random(using: &rng) }
            table.indexes = table.indexes.filter { _ in Bool.random(using: &rng) }
            table.foreignKeys = table.foreignKeys.filter { _ in Bool.random(using: &rng) }
        }
        schema.tables[index] = table
        return schema.normalized()
    }

    /// A column `ALTER TABLE ADD COLUMN` takes on a table with rows: nullable or with a default.
    private mutating func addableColumn(_ rng: inout SplitMix) -> Column {
        var column = column(&rng)
        if column.defaultValue == nil { column.nullable = true }
        return column
    }

    private func dropTable(_ name: QualifiedName, from schema: Schema) -> Schema {
        var schema = schema
        schema.tables.removeAll { $0.name == name }
        for index in schema.tables.indices {
            let references = schema.tables[index].foreignKeys.filter { $0.referencedTable == name }.flatMap(\.columns)
            for column in references { schema = dropColumn(column, of: schema.tables[index].name, from: schema) }
        }
        schema.views.removeAll { $0.dependsOn.contains(name) }
        return schema.normalized()
    }

    private func dropColumn(_ column: String, of name: QualifiedName, from schema: Schema) -> Schema {
        var schema = schema
        guard let index = schema.tables.firstIndex(where: { $0.name == name }) else { return schema }
        var table = schema.tables[index]
        table.columns.removeAll { $0.name == column }
        table.uniques.removeAll { $0.columns.contains(column) }
        table.foreignKeys.removeAll { $0.columns.contains(column) }
        table.checks.removeAll { $0.expression.hasPrefix(column + " ") }
        table.indexes.removeAll { index in index.keys.contains { $0.expression == column } || index.predicate?.hasPrefix(column + " ") == true }
        schema.tables[index] = table
        schema.views.removeAll { $0.dependsOn.contains(name) && $0.definition.contains(".\(column) ") }
        return schema.normalized()
    }
}
