import StrataLiquibase

/// `DATABASECHANGELOG.DESCRIPTION` as Liquibase writes it: each change's name followed by the
/// attributes its metadata marks as descriptive (`createTable tableName=person`), joined by `; `.
enum ChangeDescription {
    static func of(_ changes: [Change]) -> String {
        changes.map(describe).joined(separator: "; ")
    }

    static func describe(_ change: Change) -> String {
        let fields = descriptiveFields[change.kind] ?? []
        let parts = fields.compactMap { field in change.string(field).map { "\(field)=\($0)" } }
        return parts.isEmpty ? change.kind.rawValue : change.kind.rawValue + " " + parts.joined(separator: ", ")
    }

    /// The attributes Liquibase's change metadata lists for each change type's description, in its order.
    private static let descriptiveFields: [ChangeKind: [String]] = [
        .createTable: ["tableName"], .dropTable: ["tableName"], .renameTable: ["newTableName", "oldTableName"],
        .addColumn: ["tableName"], .dropColumn: ["columnName", "tableName"], .renameColumn: ["newColumnName", "oldColumnName", "tableName"],
        .modifyDataType: ["columnName", "newDataType", "tableName"],
        .addNotNullConstraint: ["columnName", "tableName"], .dropNotNullConstraint: ["columnName", "tableName"],
        .addDefaultValue: ["columnName", "tableName"], .dropDefaultValue: ["columnName", "tableName"],
        .addUniqueConstraint: ["constraintName", "tableName"], .dropUniqueConstraint: ["constraintName", "tableName"],
        .addForeignKeyConstraint: ["baseTableName", "constraintName", "referencedTableName"],
        .dropForeignKeyConstraint: ["baseTableName", "constraintName"], .dropAllForeignKeyConstraints: ["baseTableName"],
        .addPrimaryKey: ["constraintName", "tableName"], .dropPrimaryKey: ["constraintName", "tableName"],
        .createIndex: ["indexName", "tableName"], .dropIndex: ["indexName", "tableName"],
        .createView: ["viewName"], .dropView: ["viewName"], .renameView: ["newViewName", "oldViewName"],
        .createSequence: ["sequenceName"], .alterSequence: ["sequenceName"], .dropSequence: ["sequenceName"],
        .renameSequence: ["newSequenceName", "oldSequenceName"], .addAutoIncrement: ["columnName", "tableName"],
        .sqlFile: ["path"], .insert: ["tableName"], .update: ["tableName"], .delete: ["tableName"],
        .loadData: ["tableName"], .loadUpdateData: ["tableName"],
        .addLookupTable: ["existingTableName", "newTableName"], .mergeColumns: ["tableName"],
        .setTableRemarks: ["tableName"], .setColumnRemarks: ["columnName", "tableName"],
        .createProcedure: ["procedureName"], .dropProcedure: ["procedureName"],
    ]
}
