/// A live database that can read its own schema: the one door through which drift, diff,
/// `generate`, `strata test` and preconditions see what a database holds. Drivers conform.
public protocol SchemaIntrospecting: AnyObject {
    /// The objects of `namespaces` (all user namespaces when empty; SQLite has one), without
    /// the tables in `excluding` (the history table) and what belongs to them.
    func introspectSchema(namespaces: [String], excluding: [QualifiedName]) throws -> Schema
}
