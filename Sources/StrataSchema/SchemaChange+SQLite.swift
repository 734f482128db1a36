extension SchemaChange {
    /// Why SQLite has no statement for this change: either the diff rebuilds the table
    /// instead, or SQLite has no such object at all.
    var sqliteRefusal: SchemaChangeError {
        switch self {
        case .alterColumnType(let table, let column, _, _, _):
            .needsTableRebuild(table: table, change: "change the type of column \(column)")
        case .alterColumnNullability(let table, let column, _):
            .needsTableRebuild(table: table, change: "change whether column \(column) takes NULL")
        case .alterColumnDefault(let table, let column, _, _):
            .needsTableRebuild(table: table, change: "change the default of column \(column)")
        case .addConstraint(let table, _):
            .needsTableRebuild(table: table, change: "add a constraint")
        case .dropConstraint(let table, _):
            .needsTableRebuild(table: table, change: "drop a constraint")
        case .alterColumnIdentity(let table, let column, _, _):
            .unsupported("identity columns (\(table).\(column))", flavor: .sqlite)
        case .createNamespace(let name), .dropNamespace(let name):
            .unsupported("schemas (\(name)); attach a database file instead", flavor: .sqlite)
        case .createExtension, .updateExtension, .dropExtension:
            .unsupported("extensions", flavor: .sqlite)
        case .createEnum, .addEnumValue, .dropEnum:
            .unsupported("enum types", flavor: .sqlite)
        case .createDomain, .alterDomain, .dropDomain:
            .unsupported("domains", flavor: .sqlite)
        case .createSequence, .alterSequence, .dropSequence:
            .unsupported("sequences", flavor: .sqlite)
        default:
            .unsupported("functions or procedures", flavor: .sqlite)
        }
    }
}
