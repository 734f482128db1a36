/// Liquibase's automatic rollback: the changes that undo a change, for the change types
/// Liquibase derives one for (`createInverses`). Changes that lose data or whose old state
/// the changelog does not say (drops, data changes, raw SQL, type changes) have none: their
/// changeset needs a `<rollback>`.
extension Change {
    /// The changes that undo this one, in the order to run them, or nil when Liquibase derives none.
    public var inverse: [Change]? {
        let node = self.node
        func make(_ kind: ChangeKind, _ attributes: [(String, String?)], children: [ChangelogNode] = []) -> Change {
            let leaves = attributes.compactMap { name, value in value.map { ChangelogNode(name: name, value: $0, location: node.location) } }
            return Change(kind: kind, node: ChangelogNode(name: kind.rawValue, children: leaves + children, location: node.location).canonical())
        }
        let schema = ("schemaName", string("schemaName"))
        let table = ("tableName", string("tableName"))
        switch kind {
        case .createTable:
            return [make(.dropTable, [schema, table])]
        case .renameTable:
            return [make(.renameTable, [schema, ("oldTableName", string("newTableName")), ("newTableName", string("oldTableName"))])]
        case .addColumn:
            let columns = node.children(named: "column").reversed().map { ChangelogNode(name: "column", children: [
                ChangelogNode(name: "name", value: $0.string("name"), location: $0.location),
            ], location: $0.location) }
            return [make(.dropColumn, [schema, table], children: columns)]
        case .renameColumn:
            return [make(.renameColumn, [schema, table, ("oldColumnName", string("newColumnName")), ("newColumnName", string("oldColumnName")),
                                         ("columnDataType", string("columnDataType"))])]
        case .addNotNullConstraint:
            return [make(.dropNotNullConstraint, [schema, table, ("columnName", string("columnName")), ("columnDataType", string("columnDataType"))])]
        case .dropNotNullConstraint:
            return [make(.addNotNullConstraint, [schema, table, ("columnName", string("columnName")), ("columnDataType", string("columnDataType"))])]
        case .addDefaultValue:
            return [make(.dropDefaultValue, [schema, table, ("columnName", string("columnName")), ("columnDataType", string("columnDataType"))])]
        case .addUniqueConstraint:
            return [make(.dropUniqueConstraint, [schema, table, ("constraintName", string("constraintName"))])]
        case .addForeignKeyConstraint:
            return [make(.dropForeignKeyConstraint, [("baseTableSchemaName", string("baseTableSchemaName")),
                                                     ("baseTableName", string("baseTableName")), ("constraintName", string("constraintName"))])]
        case .addPrimaryKey:
            return [make(.dropPrimaryKey, [schema, table, ("constraintName", string("constraintName"))])]
        case .createIndex:
            return [make(.dropIndex, [schema, table, ("indexName", string("indexName"))])]
        case .createView:
            return [make(.dropView, [schema, ("viewName", string("viewName"))])]
        case .renameView:
            return [make(.renameView, [schema, ("oldViewName", string("newViewName")), ("newViewName", string("oldViewName"))])]
        case .createSequence:
            return [make(.dropSequence, [schema, ("sequenceName", string("sequenceName"))])]
        case .renameSequence:
            return [make(.renameSequence, [schema, ("oldSequenceName", string("newSequenceName")), ("newSequenceName", string("oldSequenceName"))])]
        case .addLookupTable:
            return [
                make(.dropForeignKeyConstraint, [("baseTableSchemaName", string("existingTableSchemaName")), ("baseTableName", string("existingTableName")),
                                                 ("constraintName", string("constraintName") ?? "fk_\(string("existingTableName") ?? "")_\(string("newTableName") ?? "")")]),
                make(.dropTable, [("schemaName", string("newTableSchemaName")), ("tableName", string("newTableName"))]),
            ]
        case .createProcedure:
            return string("procedureName").map { [make(.dropProcedure, [schema, ("procedureName", $0)])] }
        case .tagDatabase, .empty, .output:
            return []
        default:
            return nil
        }
    }
}
