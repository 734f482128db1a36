import StrataSchema
import Testing

/// The schema model's own rules.
@Suite struct SchemaTests {
    @Test func normalizedSchemasCompareByContentNotOrder() {
        let users = Table(name: QualifiedName("users"), columns: [Column(name: "id", type: "integer", nullable: false)],
                          indexes: [Index(name: "b", keys: [.init("id")]), Index(name: "a", keys: [.init("id")])])
        let first = Schema(tables: [users, Table(name: QualifiedName("accounts"), columns: [])]).normalized()
        let second = Schema(tables: [Table(name: QualifiedName("accounts"), columns: []), users]).normalized()
        #expect(first == second)
        #expect(first.tables.map(\.name.name) == ["accounts", "users"])
        #expect(first.table(QualifiedName("users"))?.indexes.map(\.name) == ["a", "b"])
    }
}
