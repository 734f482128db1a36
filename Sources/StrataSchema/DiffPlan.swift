/// The changes of one diff sorted into phases; their concatenation is the dependency order.
struct DiffPlan {
    /// Namespaces and extensions, which everything else may live in or use.
    var prepare: [SchemaChange] = []
    var renames: [SchemaChange] = []
    /// Opaque objects, triggers and views: they depend on the tables changed below.
    var dropDependents: [SchemaChange] = []
    var dropForeignKeys: [SchemaChange] = []
    var dropIndexes: [SchemaChange] = []
    var dropConstraints: [SchemaChange] = []
    /// Column drops, and defaults dropped before a type change they would not survive.
    var dropColumns: [SchemaChange] = []
    var dropTables: [SchemaChange] = []
    /// Enums, domains and sequences, before the tables whose columns use them.
    var createTypes: [SchemaChange] = []
    /// Before the tables: a default or check may call them.
    var createRoutines: [SchemaChange] = []
    var createTables: [SchemaChange] = []
    var alterTables: [SchemaChange] = []
    /// After every table exists, so that cycles work.
    var addForeignKeys: [SchemaChange] = []
    var createIndexes: [SchemaChange] = []
    /// Sequence owners, views and triggers: they need the finished tables.
    var createDependents: [SchemaChange] = []
    var comments: [SchemaChange] = []
    var createOpaque: [SchemaChange] = []
    /// Last, once nothing uses them any more.
    var dropRoutines: [SchemaChange] = []
    var dropTypes: [SchemaChange] = []
    var dropExtensions: [SchemaChange] = []
    var dropNamespaces: [SchemaChange] = []

    var ordered: [SchemaChange] {
        prepare + renames + dropDependents + dropForeignKeys + dropIndexes + dropConstraints + dropColumns + dropTables
            + createTypes + createRoutines + createTables + alterTables + addForeignKeys + createIndexes + createDependents
            + comments + createOpaque + dropRoutines + dropTypes + dropExtensions + dropNamespaces
    }
}
