import Strata
import StrataSchema

/// Reads the `main` schema from `sqlite_schema` and the pragmas, one query per kind of fact
/// for every table at once (the pragmas joined as table-valued functions). What the pragmas
/// do not report is read from the stored `CREATE` text (see ``SQLiteTableDefinition``).
extension SQLiteDatabase: SchemaIntrospecting {
    /// SQLite has one namespace here (`main`), so `namespaces` is not used.
    public func introspectSchema(namespaces: [String], excluding: [QualifiedName]) throws -> Schema {
        let excluded = Set(excluding.filter { $0.schema == nil || $0.schema == "main" }.map { $0.name.lowercased() })
        let objects = try query(
            "SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL ORDER BY type, name", []
        ).map { (type: $0[0].string!, name: $0[1].string!, table: $0[2].string!, sql: $0[3].string!) }
            .filter { !excluded.contains($0.table.lowercased()) }
        let kinds = try tableKinds()
        let plainTables = objects.filter { $0.type == "table" && kinds[$0.name]?.type == "table" }
        let facts = try TableFacts(database: self)
        let indexSQL = Dictionary(objects.filter { $0.type == "index" }.map { ($0.name, $0.sql) }, uniquingKeysWith: { first, _ in first })

        var schema = Schema()
        schema.tables = plainTables.map { object in
            table(object.name, sql: object.sql, kind: kinds[object.name]!, facts: facts, indexSQL: indexSQL)
        }
        let known = Set(objects.filter { $0.type == "table" || $0.type == "view" }.map { $0.name.lowercased() })
        let names = Dictionary(objects.map { ($0.name.lowercased(), $0.name) }, uniquingKeysWith: { first, _ in first })
        schema.views = objects.filter { $0.type == "view" }.map { object in
            let definition = SQLiteViewDefinition(sql: object.sql)
            let dependencies = definition.dependencies(among: known.subtracting([object.name.lowercased()]))
            return View(name: QualifiedName(object.name), definition: definition.query,
                        dependsOn: dependencies.compactMap { names[$0] }.sorted().map { QualifiedName($0) })
        }
        schema.triggers = objects.filter { $0.type == "trigger" }.map {
            Trigger(name: $0.name, table: QualifiedName($0.table), definition: $0.sql)
        }
        schema.others = objects.filter { $0.type == "table" && kinds[$0.name]?.type == "virtual" }.map {
            OpaqueObject(kind: "virtual table", name: QualifiedName($0.name), definition: $0.sql,
                         drop: "DROP TABLE \(dialect.quote($0.name))")
        }
        return schema.normalized()
    }

    /// `PRAGMA table_list`'s type (`table`, `virtual`, `shadow`: a virtual table's storage,
    /// which belongs to it) and options, by table name.
    private func tableKinds() throws -> [String: (type: String, options: [String])] {
        let rows = try query("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'", [])
        return Dictionary(rows.map { row in
            let options = (row[2].bool == true ? ["WITHOUT ROWID"] : []) + (row[3].bool == true ? ["STRICT"] : [])
            return (row[0].string!, (row[1].string!, options))
        }, uniquingKeysWith: { first, _ in first })
    }

    private func table(
        _ name: String, sql: String, kind: (type: String, options: [String]), facts: TableFacts, indexSQL: [String: String]
    ) -> Table {
        let definition = SQLiteTableDefinition(sql: sql)
        let columnRows = facts.columns[name] ?? []
        let columns = columnRows.map { row in
            let details = definition.column(row.name)
            return Column(name: row.name, type: row.type, nullable: !row.notNull,
                          defaultValue: details.generated == nil ? row.defaultValue : nil,
                          generated: details.generated, generatedIsVirtual: details.generatedIsVirtual, collation: details.collation)
        }
        let keyColumns = columnRows.filter { $0.primaryKeyPosition > 0 }.sorted { $0.primaryKeyPosition < $1.primaryKeyPosition }.map(\.name)
        let indexes = facts.indexes[name] ?? []
        return Table(
            name: QualifiedName(name),
            columns: columns,
            primaryKey: keyColumns.isEmpty ? nil
                : PrimaryKey(name: definition.primaryKeyName, columns: keyColumns, autoincrement: definition.autoincrement),
            uniques: indexes.filter { $0.origin == "u" }.map { index in
                let columns = facts.indexKeys[index.name]?.map(\.name) ?? []
                return UniqueConstraint(name: definition.uniqueNames[columns.map { $0.lowercased() }], columns: columns)
            },
            foreignKeys: (facts.foreignKeys[name] ?? []).map { key in
                let details = definition.foreignKey(columns: key.columns, referencing: key.table)
                return ForeignKey(
                    name: details?.name, columns: key.columns, referencedTable: QualifiedName(key.table),
                    referencedColumns: key.referencedColumns ?? facts.primaryKey(of: key.table),
                    onDelete: ReferentialAction(rawValue: key.onDelete) ?? .noAction, onUpdate: ReferentialAction(rawValue: key.onUpdate) ?? .noAction,
                    deferrable: details?.deferrable ?? .notDeferrable)
            },
            checks: definition.checks,
            indexes: indexes.filter { $0.origin == "c" }.map { index in
                Self.index(index, keys: facts.indexKeys[index.name] ?? [], definition: SQLiteIndexDefinition(sql: indexSQL[index.name] ?? ""))
            },
            options: kind.options)
    }

    /// Column keys name their column (as the pragma spells it); expression keys are the text
    /// written in `CREATE INDEX`.
    private static func index(_ index: TableFacts.IndexRow, keys: [TableFacts.IndexKeyRow], definition: SQLiteIndexDefinition) -> Index {
        Index(
            name: index.name, unique: index.unique,
            keys: keys.enumerated().map { position, key in
                let written = position < definition.keys.count ? definition.keys[position] : nil
                return Index.Key(key.isExpression ? written?.expression ?? "" : key.name, isColumn: !key.isExpression,
                                 descending: key.descending, collation: written?.collation)
            },
            predicate: definition.predicate)
    }
}
