extension SchemaChange {
    /// The statements that make this change on `flavor`, each ending in `;`. A SQLite table
    /// rebuild comes with foreign keys turned off around it, outside the transaction.
    public func statements(for flavor: SQLFlavor) throws(SchemaChangeError) -> [SchemaStatement] {
        let body = try statementsWithinPlan(for: flavor)
        guard case .rebuildTable = self else { return body }
        return SQLiteTableRebuild.withForeignKeysOff(body)
    }

    /// The statements as one part of a plan, which turns foreign keys off once for all its rebuilds.
    func statementsWithinPlan(for flavor: SQLFlavor) throws(SchemaChangeError) -> [SchemaStatement] {
        let sql = DefinitionSQL(flavor: flavor)
        switch self {
        case .createTable(let table):
            return try sql.createTable(table)
        case .renameTable(let from, let to):
            return try renameTable(from: from, to: to, sql)
        case .dropTable(let table):
            return [SchemaStatement("DROP TABLE \(sql.quote(table.name));")]
        case .rebuildTable(let rebuild):
            guard flavor == .sqlite else { throw .unsupported("table rebuilds (\(rebuild.to.name)): use ALTER TABLE", flavor: flavor) }
            return try rebuild.body()
        case .addColumn(let table, let column):
            if flavor == .sqlite, let reason = SQLiteTableRebuild.reasonToRebuild(adding: column) {
                throw .needsTableRebuild(table: table, change: reason)
            }
            return [SchemaStatement("ALTER TABLE \(sql.quote(table)) ADD COLUMN \(try sql.columnDefinition(column, table: table));")]
        case .renameColumn(let table, let from, let to):
            return [SchemaStatement("ALTER TABLE \(sql.quote(table)) RENAME COLUMN \(sql.quote(from)) TO \(sql.quote(to));")]
        case .dropColumn(let table, let column):
            return [SchemaStatement("ALTER TABLE \(sql.quote(table)) DROP COLUMN \(sql.quote(column.name));")]
        case .createIndex(let table, let index):
            return [SchemaStatement(try sql.createIndex(index, on: table))]
        case .dropIndex(let table, let index):
            return [SchemaStatement("DROP INDEX \(sql.indexName(index.name, table: table, dropping: true));")]
        case .createView(let view):
            return try sql.createView(view)
        case .replaceView(let from, let to):
            guard flavor == .postgresql, !from.materialized, !to.materialized else {
                return try [sql.dropView(from)] + sql.createView(to)
            }
            let replace = SchemaStatement("CREATE OR REPLACE VIEW \(sql.quote(to.name)) AS\n\(DefinitionSQL.withoutTerminator(to.definition));")
            let comment = from.comment == to.comment ? nil : sql.setComment(on: .view(to.name, materialized: false), to.comment)
            return [replace] + [comment].compactMap { $0 }
        case .dropView(let view):
            return [sql.dropView(view)]
        case .createTrigger(let trigger):
            return [SchemaStatement(DefinitionSQL.terminated(trigger.definition))]
        case .dropTrigger(let trigger):
            if flavor == .postgresql {
                return [SchemaStatement("DROP TRIGGER \(sql.quote(trigger.name)) ON \(sql.quote(trigger.table));")]
            }
            return [SchemaStatement("DROP TRIGGER \(sql.quote(QualifiedName(schema: trigger.table.schema, trigger.name)));")]
        case .setComment(let target, _, let to):
            // SQLite keeps no comments: there is nothing to write.
            return flavor == .sqlite ? [] : [sql.setComment(on: target, to)]
        case .createOpaque(let object):
            return [SchemaStatement(DefinitionSQL.terminated(object.definition))]
        case .dropOpaque(let object):
            return [SchemaStatement(DefinitionSQL.terminated(object.drop))]
        default:
            guard flavor == .postgresql else { throw sqliteRefusal }
            return try postgresStatements(sql)
        }
    }

    private func renameTable(from: QualifiedName, to: QualifiedName, _ sql: DefinitionSQL) throws(SchemaChangeError) -> [SchemaStatement] {
        guard from.schema != to.schema else {
            return [SchemaStatement("ALTER TABLE \(sql.quote(from)) RENAME TO \(sql.quote(to.name));")]
        }
        guard sql.flavor == .postgresql else { throw .unsupported("moving tables between databases (\(from) to \(to))", flavor: .sqlite) }
        let moved = QualifiedName(schema: to.schema, from.name)
        var statements = [SchemaStatement("ALTER TABLE \(sql.quote(from)) SET SCHEMA \(sql.quote(to.schema ?? "public"));")]
        if from.name != to.name { statements.append(SchemaStatement("ALTER TABLE \(sql.quote(moved)) RENAME TO \(sql.quote(to.name));")) }
        return statements
    }
}
