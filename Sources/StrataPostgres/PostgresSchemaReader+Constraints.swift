import Strata
import StrataSchema

/// Constraints and indexes: attached to the tables (and materialized views) already read.
extension PostgresSchemaReader {
    /// Adds table constraints and returns the domains' checks by domain. Exclusion
    /// constraints, which the model does not describe, become opaque objects.
    func readConstraints(
        into tables: inout [QualifiedName: Table], others: inout [OpaqueObject], scope: [String?], names: CatalogNames
    ) throws -> [QualifiedName: [CheckConstraint]] {
        var domainChecks: [QualifiedName: [CheckConstraint]] = [:]
        for row in try run(PostgresCatalogQueries.constraints, scope) {
            let owner = names.qualified(row[0], row[1])
            guard let name = row[2], let definition = row[12] else { continue }
            guard tables[owner] != nil else {
                if row[3] == "c" { domainChecks[owner, default: []].append(CheckConstraint(name: name, expression: definition)) }
                continue
            }
            let columns = CatalogJSON.strings(row[4])
            let deferrable = row[10] != "t" ? Deferrability.notDeferrable : row[11] == "t" ? .initiallyDeferred : .initiallyImmediate
            switch row[3] {
            case "p":
                tables[owner]?.primaryKey = PrimaryKey(name: name, columns: columns)
            case "u":
                tables[owner]?.uniques.append(UniqueConstraint(name: name, columns: columns, deferrable: deferrable))
            case "f":
                tables[owner]?.foreignKeys.append(ForeignKey(
                    name: name, columns: columns, referencedTable: names.qualified(row[5], row[6]),
                    referencedColumns: CatalogJSON.strings(row[7]), onDelete: Self.action(row[9]), onUpdate: Self.action(row[8]),
                    deferrable: deferrable))
            case "c":
                tables[owner]?.checks.append(CheckConstraint(name: name, expression: definition))
            default:
                others.append(OpaqueObject(
                    kind: "exclusion constraint", name: QualifiedName(schema: owner.schema, "\(owner.name).\(name)"),
                    definition: "ALTER TABLE \(names.quote(owner)) ADD CONSTRAINT \(names.quote(name)) \(definition)",
                    drop: "ALTER TABLE \(names.quote(owner)) DROP CONSTRAINT \(names.quote(name))"))
            }
        }
        return domainChecks
    }

    /// `pg_constraint`'s one-letter referential actions.
    private static func action(_ code: String?) -> ReferentialAction {
        switch code {
        case "r": .restrict
        case "c": .cascade
        case "n": .setNull
        case "d": .setDefault
        default: .noAction
        }
    }

    /// Indexes no constraint owns, one row per key or INCLUDE column.
    func readIndexes(into tables: inout [QualifiedName: Table], views: inout [QualifiedName: View], scope: [String?], names: CatalogNames) throws {
        var indexes: [QualifiedName: [Index]] = [:]
        for row in try run(PostgresCatalogQueries.indexes, scope) {
            let owner = names.qualified(row[0], row[1])
            guard let name = row[2], let expression = row[6] else { continue }
            var list = indexes[owner, default: []]
            if list.last?.name != name {
                list.append(Index(name: name, unique: row[3] == "t", method: row[4] == "btree" ? nil : row[4], keys: [],
                                  predicate: row[11]))
            }
            if row[5] == "t" {
                list[list.count - 1].include.append(expression)
            } else {
                let options = Int(row[9] ?? "") ?? 0
                let descending = options & 1 != 0, nullsFirst = options & 2 != 0
                list[list.count - 1].keys.append(Index.Key(
                    expression, isColumn: row[7] == "t", opclass: row[8], descending: descending,
                    nullsFirst: nullsFirst == descending ? nil : nullsFirst, collation: row[10]))
            }
            indexes[owner] = list
        }
        for (owner, list) in indexes {
            if tables[owner] != nil { tables[owner]?.indexes = list }
            if views[owner] != nil { views[owner]?.indexes = list }
        }
    }
}
