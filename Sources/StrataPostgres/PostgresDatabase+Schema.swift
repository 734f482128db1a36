import Strata
import StrataSchema

/// Reads the managed schemas from the system catalogs (see ``PostgresSchemaReader``), in one
/// transaction whose search path is the default namespace alone, so that the definitions the
/// server prints qualify names the same way whatever this session's path is.
extension PostgresDatabase: SchemaIntrospecting {
    /// - Parameter namespaces: the schemas to read, the first being the default one whose
    ///   objects carry no schema name; empty for every user schema, the current one default.
    public func introspectSchema(namespaces: [String], excluding: [QualifiedName]) throws -> Schema {
        try inTransaction {
            try PostgresSchemaReader { sql, parameters in
                try self.query(sql, parameters.map { $0.map(SQLValue.text) ?? .null }).map { row in row.map(\.string) }
            }.read(namespaces: namespaces, excluding: excluding)
        }
    }
}
