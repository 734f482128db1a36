import PropertyBased
import SchemaTestSupport
import StrataPostgres
import StrataSchema
import StrataTestSupport
import Testing

/// Random schemas and random changes to them on the test server, each in a namespace of its
/// own in one database: diff(S1 → S2) applied to S1 reads back as S2, and a second diff is empty.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresSchemaPropertyTests {
    let server = TestPostgres.shared!

    @Test func aDiffAppliedToTheOldSchemaGivesTheNewOne() async throws {
        let url = server.url(database: try server.createDatabase())
        var iteration = 0
        await propertyCheck(count: 25, input: schemaPairs(.postgresql)) { before, after in
            iteration += 1
            let namespace = "p\(iteration)"
            try PostgresDatabase(conninfo: url).execute("CREATE SCHEMA \(namespace)", [])
            let database = try PostgresDatabase(conninfo: url, schemas: [namespace])
            func introspect() throws -> Schema { try database.introspectSchema(namespaces: [namespace], excluding: []) }
            try database.inTransaction { try database.executeScript(try render(before, flavor: .postgresql)) }
            #expect(differences(withViewDefinitions(of: before, try introspect()), before) == [])
            try database.inTransaction { try database.executeScript(try diff(from: before, to: after, flavor: .postgresql).script().text) }
            let found = try introspect()
            #expect(differences(withViewDefinitions(of: after, found), after) == [])
            let again = try diff(from: found, to: after, flavor: .postgresql).script().text
            #expect(again.isEmpty, "a second diff: \(again)")
        }
    }
}
