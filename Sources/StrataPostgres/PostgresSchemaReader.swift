import Strata
import StrataSchema

/// Reads a PostgreSQL schema from the system catalogs: ten queries whatever the number of
/// objects (``PostgresCatalogQueries``), whose rows are assembled into ``Schema`` values here.
/// It sees the database only through `run`, so tests can count what it asks.
struct PostgresSchemaReader {
    /// Runs one statement with text parameters; rows come back as text, nil for NULL.
    let run: (_ sql: String, _ parameters: [String?]) throws -> [[String?]]

    func read(namespaces requested: [String], excluding: [QualifiedName]) throws -> Schema {
        let defaultNamespace = try run(PostgresCatalogQueries.searchPath, [requested.first]).first?[0] ?? "public"
        let namespaceRows = try run(PostgresCatalogQueries.namespaces, [requested.isEmpty ? nil : CatalogJSON.encode(requested)])
        let managed = namespaceRows.compactMap { $0[0] }
        let names = CatalogNames(defaultNamespace: defaultNamespace, excluding: excluding)
        let scope = [CatalogJSON.encode(managed)]

        var schema = Schema(namespaces: managed.filter { $0 != defaultNamespace })
        for row in namespaceRows where row[0] != defaultNamespace {
            if let name = row[0], let comment = row[1] { schema.namespaceComments[name] = comment }
        }
        var tables: [QualifiedName: Table] = [:]
        var views: [QualifiedName: View] = [:]
        for row in try run(PostgresCatalogQueries.relations, scope) {
            let name = names.qualified(row[0], row[1])
            guard !names.isExcluded(name) else { continue }
            switch row[2] {
            case "r", "p":
                tables[name] = Table(name: name, columns: [], comment: row[3])
            case "v", "m":
                views[name] = View(name: name, definition: row[4] ?? "", materialized: row[2] == "m", comment: row[3],
                                   dependsOn: CatalogJSON.pairs(row[5]).map { names.qualified($0.0, $0.1) }.sorted())
            default:
                if let sequence = Self.sequence(row, name: name, names: names) { schema.sequences.append(sequence) }
            }
        }
        try readColumns(into: &tables, scope: scope, names: names)
        let domainChecks = try readConstraints(into: &tables, others: &schema.others, scope: scope, names: names)
        try readIndexes(into: &tables, views: &views, scope: scope, names: names)
        for row in try run(PostgresCatalogQueries.types, scope) {
            let name = names.qualified(row[0], row[1])
            if row[2] == "e" {
                schema.enums.append(EnumType(name: name, values: CatalogJSON.strings(row[4]), comment: row[3]))
            } else {
                schema.domains.append(Domain(name: name, type: row[5] ?? "", nullable: row[6] != "t", defaultValue: row[7],
                                             checks: domainChecks[name] ?? []))
            }
        }
        schema.extensions = try run(PostgresCatalogQueries.extensions, scope).map {
            Extension(name: $0[0]!, schema: names.qualified($0[1], "").schema, version: $0[2])
        }
        schema.routines = try run(PostgresCatalogQueries.routines, scope).map {
            Routine(name: names.qualified($0[0], $0[1]), kind: $0[2] == "p" ? .procedure : .function,
                    signature: $0[3] ?? "", definition: $0[4] ?? "", comment: $0[5])
        }
        for row in try run(PostgresCatalogQueries.triggersAndRules, scope) {
            let table = names.qualified(row[1], row[2])
            guard !names.isExcluded(table), let name = row[3], let definition = row[4] else { continue }
            if row[0] == "trigger" {
                schema.triggers.append(Trigger(name: name, table: table, definition: definition))
            } else {
                schema.others.append(OpaqueObject(
                    kind: "rule", name: QualifiedName(schema: table.schema, "\(table.name).\(name)"), definition: definition,
                    drop: "DROP RULE \(names.quote(name)) ON \(names.quote(table))"))
            }
        }
        schema.tables = Array(tables.values)
        schema.views = Array(views.values)
        return schema.normalized()
    }

    /// A sequence, unless it is an identity column's own (made and dropped with the column).
    private static func sequence(_ row: [String?], name: QualifiedName, names: CatalogNames) -> Sequence? {
        guard row[13] != "i" else { return nil }
        let owner = row[15].map { names.qualified(row[14], $0) }
        if let owner, names.isExcluded(owner) { return nil }
        return Sequence(
            name: name, type: row[6] ?? "bigint", start: Int64(row[7] ?? "") ?? 1, increment: Int64(row[8] ?? "") ?? 1,
            minimum: Int64(row[9] ?? "") ?? 1, maximum: Int64(row[10] ?? "") ?? .max, cache: Int64(row[11] ?? "") ?? 1,
            cycle: row[12] == "t", ownedBy: owner.flatMap { owner in row[16].map { "\(owner).\($0)" } })
    }

    private func readColumns(into tables: inout [QualifiedName: Table], scope: [String?], names: CatalogNames) throws {
        for row in try run(PostgresCatalogQueries.columns, scope) {
            let table = names.qualified(row[0], row[1])
            guard tables[table] != nil, let name = row[2] else { continue }
            let generated = row[7] == "s"
            tables[table]?.columns.append(Column(
                name: name, type: row[3] ?? "", nullable: row[4] != "t", defaultValue: generated ? nil : row[5],
                identity: row[6] == "a" ? .always : row[6] == "d" ? .byDefault : nil,
                generated: generated ? row[5] : nil, collation: row[8], comment: row[9]))
        }
    }
}
