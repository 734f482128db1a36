import Foundation
import StrataSchema

/// A change written as SQL for one engine. Schema changes become StrataSchema's
/// ``SchemaChange`` values, so their SQL (and SQLite's limits) are those of `diff` and
/// `generate`; data changes, raw SQL and what Liquibase writes its own way (sequences,
/// auto-increment) are written here.
struct ChangeRenderer {
    let change: Change
    let flavor: SQLFlavor
    let changeSet: ChangeSetIdentity
    /// The schema before this change, when the runner gave one: SQLite then rebuilds the tables
    /// its `ALTER TABLE` cannot change, and this follows the change (``schemaAfter``).
    var schema: Schema?

    var node: ChangelogNode { change.node }

    func fold(_ name: String) -> String { LiquibaseNames.fold(name, flavor) }
    func quote(_ name: String) -> String { flavor.quote(fold(name)) }
    func quote(_ name: QualifiedName) -> String { flavor.quote(name) }

    /// `schemaName` + `attribute` as a name; a missing attribute is an error naming it.
    func table(_ attribute: String = "tableName", schema: String = "schemaName") throws(ChangelogError) -> QualifiedName {
        guard let name = LiquibaseNames.qualified(node, attribute, schema: schema, flavor) else {
            throw ChangelogError(.missingAttribute(attribute, element: change.kind.rawValue), at: change.location)
        }
        return name
    }

    /// createView's query: its `path` file (with `${…}` replaced) or its text, trimmed.
    func viewQuery() throws(ChangelogError) -> String {
        guard let text = change.expandedFileContents else { return try required("selectQuery") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func required(_ attribute: String) throws(ChangelogError) -> String {
        guard let value = node.string(attribute) else {
            throw ChangelogError(.missingAttribute(attribute, element: change.kind.rawValue), at: change.location)
        }
        return value
    }

    var columns: [ColumnConfig] { node.children(named: "column").map { ColumnConfig(node: $0, flavor: flavor) } }

    func unsupported(_ detail: String) -> ChangelogError {
        ChangelogError(.unsupported(change.kind, flavor: flavor.rawValue, detail: detail), at: change.location)
    }

    /// The statements, and the schema after them (when there is one to follow).
    mutating func statements() throws(ChangelogError) -> [SchemaStatement] {
        if let changes = try schemaChanges() {
            var statements = try preparation().map { SchemaStatement($0 + ";") }
            for schemaChange in changes {
                if case .rebuildTable = schemaChange, let before = schema {
                    statements += try rebuilding(schemaChange, before)
                    schema = before.applying(schemaChange)
                    continue
                }
                do {
                    statements += try schemaChange.statements(for: flavor).map(Self.oneLine)
                    schema = schema?.applying(schemaChange)
                } catch {
                    guard case .needsTableRebuild = error, let before = schema, let rebuild = before.rebuild(for: schemaChange) else {
                        throw unsupported(error.description + (schema == nil ? " (give statements(for:schema:) the schema to rebuild it)" : ""))
                    }
                    statements += try rebuilding(rebuild, before)
                    schema = before.applying(rebuild)
                }
            }
            return statements + (try followUps())
        }
        return try raw().map { SchemaStatement($0.hasSuffix(";") ? $0 : $0 + ";") }
    }

    /// A SQLite table rebuild with the views and triggers it would break dropped before it and
    /// made again after it, as they were in `before`.
    func rebuilding(_ rebuild: SchemaChange, _ before: Schema) throws(ChangelogError) -> [SchemaStatement] {
        guard case .rebuildTable(let table) = rebuild else { return [] }
        let dependents = before.rebuildDependents(of: table.from.name)
        let drops = dependents.views.reversed().map { SchemaChange.dropView($0) } + dependents.triggers.map { .dropTrigger($0) }
        let remakes = dependents.triggers.map { SchemaChange.createTrigger($0) } + dependents.views.map { .createView($0) }
        var statements: [SchemaStatement] = []
        do {
            for change in drops + [rebuild] + remakes {
                statements += try change.statements(for: flavor).map(Self.oneLine)
            }
        } catch {
            throw unsupported(error.description)
        }
        return statements
    }

    /// StrataSchema's `CREATE TABLE (\n    a,\n    b\n)` on one line, as Liquibase writes it,
    /// so that `modifySql` edits written against Liquibase's SQL find their text.
    static func oneLine(_ statement: SchemaStatement) -> SchemaStatement {
        guard statement.sql.hasPrefix("CREATE TABLE ") else { return statement }
        let sql = statement.sql.replacing(" (\n    ", with: " (").replacing(",\n    ", with: ", ").replacing("\n)", with: ")")
        return SchemaStatement(sql, outsideTransaction: statement.outsideTransaction)
    }

    /// The change as schema changes, or nil when it is written here instead.
    func schemaChanges() throws(ChangelogError) -> [SchemaChange]? {
        switch change.kind {
        case .createTable:
            return [.createTable(try createdTable())]
        case .dropTable:
            if node.string("cascadeConstraints")?.lowercased() == "true" { return nil }
            return [.dropTable(Table(name: try table(), columns: []))]
        case .renameTable:
            let old = try table("oldTableName")
            return [.renameTable(from: old, to: QualifiedName(schema: old.schema, fold(try required("newTableName"))))]
        case .addColumn:
            let name = try table()
            // A NOT NULL column with a value is added nullable, filled, then made NOT NULL (followUps).
            var changes: [SchemaChange] = columns.map { config in
                var column = config.column()
                if config.value != nil { column.nullable = true }
                return .addColumn(table: name, column)
            }
            for column in columns {
                changes += try columnConstraints(column, table: name)
            }
            return changes
        case .dropColumn:
            let name = try table()
            let names = node.string("columnName").map { [$0] } ?? columns.map { $0.node.string("name") ?? "" }
            return names.map { .dropColumn(table: name, Column(name: fold($0), type: "")) }
        case .renameColumn:
            return [.renameColumn(table: try table(), from: fold(try required("oldColumnName")), to: fold(try required("newColumnName")))]
        case .modifyDataType:
            let column = fold(try required("columnName"))
            let type = LiquibaseType.sql(try required("newDataType"), flavor: flavor).type
            return [.alterColumnType(table: try table(), column: column, from: ColumnType(""), to: ColumnType(type),
                                     using: "(\(flavor.quote(column))::\(type))")]
        case .addNotNullConstraint:
            return [.alterColumnNullability(table: try table(), column: fold(try required("columnName")), nullable: false)]
        case .dropNotNullConstraint:
            return [.alterColumnNullability(table: try table(), column: fold(try required("columnName")), nullable: true)]
        case .addDefaultValue:
            let value = LiquibaseValues.sql(node, prefix: "defaultValue", flavor: flavor)
            return [.alterColumnDefault(table: try table(), column: fold(try required("columnName")), from: nil, to: value)]
        case .dropDefaultValue:
            return [.alterColumnDefault(table: try table(), column: fold(try required("columnName")), from: nil, to: nil)]
        case .addUniqueConstraint:
            let unique = UniqueConstraint(name: node.string("constraintName").map(fold), columns: list("columnNames"), deferrable: deferrability)
            return [.addConstraint(table: try table(), .unique(unique))]
        case .dropUniqueConstraint:
            return [.dropConstraint(table: try table(), .unique(UniqueConstraint(name: fold(try required("constraintName")), columns: [])))]
        case .addForeignKeyConstraint:
            if node.string("validate")?.lowercased() == "false" { return nil }
            return [.addConstraint(table: try table("baseTableName", schema: "baseTableSchemaName"), .foreignKey(try foreignKey()))]
        case .dropForeignKeyConstraint:
            let key = ForeignKey(name: fold(try required("constraintName")), columns: [], referencedTable: QualifiedName(""), referencedColumns: [])
            return [.dropConstraint(table: try table("baseTableName", schema: "baseTableSchemaName"), .foreignKey(key))]
        case .addPrimaryKey:
            let name = try table()
            let key = PrimaryKey(name: node.string("constraintName").map(fold) ?? primaryKeyName(name), columns: list("columnNames"))
            return [.addConstraint(table: name, .primaryKey(key))]
        case .dropPrimaryKey:
            let name = try table()
            let key = PrimaryKey(name: node.string("constraintName").map(fold) ?? primaryKeyName(name), columns: [])
            return [.dropConstraint(table: name, .primaryKey(key))]
        case .createIndex:
            let keys = node.children(named: "column").map { column in
                let computed = column.string("computed")?.lowercased() == "true"
                let name = column.string("name") ?? ""
                return Index.Key(computed ? name : fold(name), isColumn: !computed, descending: column.string("descending")?.lowercased() == "true")
            }
            let index = Index(name: fold(try required("indexName")), unique: node.string("unique")?.lowercased() == "true", keys: keys)
            return [.createIndex(table: try table(), index)]
        case .dropIndex:
            let name = LiquibaseNames.qualified(node, "tableName", flavor) ?? QualifiedName(schema: node.string("schemaName").map(fold), "")
            return [.dropIndex(table: name, Index(name: fold(try required("indexName")), keys: []))]
        case .createView:
            if node.string("replaceIfExists")?.lowercased() == "true" || node.string("fullDefinition")?.lowercased() == "true" { return nil }
            return [.createView(View(name: try table("viewName"), definition: try viewQuery()))]
        case .dropView:
            if node.string("ifExists")?.lowercased() == "true" { return nil }
            return [.dropView(View(name: try table("viewName"), definition: ""))]
        case .addAutoIncrement where flavor == .sqlite:
            return try sqliteAutoIncrement()
        case .setTableRemarks:
            return [.setComment(.table(try table()), from: nil, to: node.string("remarks"))]
        case .setColumnRemarks:
            return [.setComment(.column(table: try table(), column: fold(try required("columnName"))), from: nil, to: node.string("remarks"))]
        default:
            return nil
        }
    }

    /// SQLite's auto-increment is `INTEGER PRIMARY KEY AUTOINCREMENT`, declared with the table:
    /// given the schema, the table is rebuilt so; otherwise (or for a column that is not the
    /// whole primary key) nil, and the change is refused.
    func sqliteAutoIncrement() throws(ChangelogError) -> [SchemaChange]? {
        let name = try table()
        let column = try required("columnName")
        guard var after = schema?.tables.first(where: { Schema.sameName($0.name, name) }),
              after.primaryKey?.columns.map({ $0.lowercased() }) == [column.lowercased()],
              let index = after.columns.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) else { return nil }
        let before = after
        after.primaryKey?.autoincrement = true
        after.columns[index].type = "INTEGER"
        return [.rebuildTable(SQLiteTableRebuild(from: before, to: after))]
    }

    /// Statements Liquibase adds after the schema change: the values of added columns, the
    /// default of a NOT NULL constraint written into existing NULLs.
    func followUps() throws(ChangelogError) -> [SchemaStatement] {
        switch change.kind {
        case .addColumn:
            let name = try table()
            let updates = columns.compactMap { column in
                column.value.map { SchemaStatement("UPDATE \(quote(name)) SET \(flavor.quote(column.name)) = \($0);") }
            }
            let notNull = columns.filter { $0.value != nil && !$0.column().nullable }.map { column in
                SchemaStatement("ALTER TABLE \(quote(name)) ALTER COLUMN \(flavor.quote(column.name)) SET NOT NULL;")
            }
            return updates + notNull
        case .addPrimaryKey where flavor == .postgresql && node.string("clustered")?.lowercased() == "true":
            let name = try table()
            return [SchemaStatement("CLUSTER \(quote(name)) USING \(flavor.quote(node.string("constraintName").map(fold) ?? primaryKeyName(name)));")]
        case .addDefaultValue where flavor == .postgresql:
            guard let sequence = node.string("defaultValueSequenceNext") else { return [] }
            let name = try table()
            let column = fold(try required("columnName"))
            return [SchemaStatement("ALTER SEQUENCE \(quote(sequence)) OWNED BY \(quote(name)).\(flavor.quote(column));")]
        default:
            return []
        }
    }

    /// The statements to run before the schema change (a NOT NULL's default filled in first).
    func preparation() throws(ChangelogError) -> [String] {
        guard change.kind == .addNotNullConstraint, let value = node.string("defaultNullValue") else { return [] }
        let column = quote(try required("columnName"))
        let type = node.string("columnDataType").map { LiquibaseType.sql($0, flavor: flavor).type } ?? ""
        let literal: String
        if type.hasPrefix("BIT(") {
            literal = "B'\(value)'"
        } else if type == "BOOLEAN" {
            // Liquibase writes PostgreSQL's boolean as the quoted word ('TRUE'), which it accepts.
            let boolean = LiquibaseValues.boolean(value, flavor)
            literal = flavor == .postgresql ? flavor.literal(boolean) : boolean
        } else {
            literal = LiquibaseValues.literal(value, flavor)
        }
        return ["UPDATE \(quote(try table())) SET \(column) = \(literal) WHERE \(column) IS NULL"]
    }

    var deferrability: Deferrability {
        guard node.string("deferrable")?.lowercased() == "true" else { return .notDeferrable }
        return node.string("initiallyDeferred")?.lowercased() == "true" ? .initiallyDeferred : .initiallyImmediate
    }

    /// A comma-separated list of column names, folded.
    func list(_ attribute: String) -> [String] {
        DatabaseList.split(node.string(attribute)).map(fold)
    }

    /// Liquibase names an unnamed primary key `<table>_pkey` on PostgreSQL (PostgreSQL's own
    /// choice) and `PK_<TABLE>` on SQLite.
    func primaryKeyName(_ table: QualifiedName) -> String {
        flavor == .postgresql ? table.name + "_pkey" : "PK_" + table.name.uppercased()
    }

    func foreignKey() throws(ChangelogError) -> ForeignKey {
        let referenced = try table("referencedTableName", schema: "referencedTableSchemaName")
        var key = ForeignKey(name: node.string("constraintName").map(fold), columns: list("baseColumnNames"),
                             referencedTable: referenced, referencedColumns: list("referencedColumnNames"), deferrable: deferrability)
        if node.string("deleteCascade")?.lowercased() == "true" { key.onDelete = .cascade }
        if let action = node.string("onDelete") { key.onDelete = referentialAction(action) }
        if let action = node.string("onUpdate") { key.onUpdate = referentialAction(action) }
        return key
    }

    func referentialAction(_ text: String) -> ReferentialAction {
        ReferentialAction(rawValue: text.uppercased().replacing("_", with: " ")) ?? .noAction
    }

    /// createTable's table: columns, the primary key its columns mark, their unique and
    /// foreign-key constraints.
    func createdTable() throws(ChangelogError) -> Table {
        let name = try table()
        var table = Table(name: name, columns: columns.map { $0.column() }, comment: node.string("remarks"))
        let keyColumns = columns.filter(\.isPrimaryKey)
        if !keyColumns.isEmpty {
            let keyName = keyColumns.compactMap { $0.constraint("primaryKeyName") }.first.map(fold) ?? primaryKeyName(name)
            table.primaryKey = PrimaryKey(name: keyName, columns: keyColumns.map(\.name),
                                          autoincrement: flavor == .sqlite && keyColumns.contains(where: \.autoIncrement))
        }
        for column in columns {
            for constraint in try columnConstraints(column, table: name) {
                guard case .addConstraint(_, let value) = constraint else { continue }
                switch value {
                case .unique(let unique): table.uniques.append(unique)
                case .foreignKey(let key): table.foreignKeys.append(key)
                case .check(let check): table.checks.append(check)
                case .primaryKey: continue
                }
            }
        }
        return table
    }

    /// A column's own `unique`, `references`/`referencedTableName` and `checkConstraint`.
    func columnConstraints(_ column: ColumnConfig, table: QualifiedName) throws(ChangelogError) -> [SchemaChange] {
        var changes: [SchemaChange] = []
        if column.flag("unique") {
            changes.append(.addConstraint(table: table, .unique(UniqueConstraint(name: column.constraint("uniqueConstraintName").map(fold), columns: [column.name]))))
        }
        if let referenced = column.constraint("referencedTableName") {
            var key = ForeignKey(name: column.constraint("foreignKeyName").map(fold), columns: [column.name],
                                 referencedTable: QualifiedName(schema: column.constraint("referencedTableSchemaName").map(fold), fold(referenced)),
                                 referencedColumns: DatabaseList.split(column.constraint("referencedColumnNames")).map(fold))
            if column.flag("deleteCascade") { key.onDelete = .cascade }
            changes.append(.addConstraint(table: table, .foreignKey(key)))
        } else if let references = column.constraint("references"), let open = references.firstIndex(of: "(") {
            let target = references[..<open].trimmingCharacters(in: .whitespaces)
            let referencedColumns = references[references.index(after: open)...].dropLast().split(separator: ",")
                .map { fold($0.trimmingCharacters(in: .whitespaces)) }
            var key = ForeignKey(name: column.constraint("foreignKeyName").map(fold), columns: [column.name],
                                 referencedTable: QualifiedName(fold(target)), referencedColumns: referencedColumns)
            if column.flag("deleteCascade") { key.onDelete = .cascade }
            changes.append(.addConstraint(table: table, .foreignKey(key)))
        }
        if let check = column.constraint("checkConstraint") {
            changes.append(.addConstraint(table: table, .check(CheckConstraint(expression: check))))
        }
        return changes
    }
}
