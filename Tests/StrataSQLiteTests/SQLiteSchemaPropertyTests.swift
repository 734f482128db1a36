import PropertyBased
import SchemaTestSupport
import StrataSchema
import StrataSQLite
import Testing

/// Random schemas and random changes to them on SQLite's real engine: the rendered schema
/// reads back as itself, and diff(S1 → S2) applied to S1 reads back as S2 with nothing left
/// for a second diff.
@Suite struct SQLiteSchemaPropertyTests {
    @Test func aDiffAppliedToTheOldSchemaGivesTheNewOne() async {
        await propertyCheck(count: 100, input: schemaPairs(.sqlite)) { before, after in
            let database = try SQLiteDatabase(path: ":memory:")
            try database.executeScript(try render(before, flavor: .sqlite))
            #expect(differences(try database.introspectSchema(namespaces: [], excluding: []), before) == [])
            try database.executeScript(try diff(from: before, to: after, flavor: .sqlite).script().text)
            let found = try database.introspectSchema(namespaces: [], excluding: [])
            #expect(differences(found, after) == [])
            let again = try diff(from: found, to: after, flavor: .sqlite).script().text
            #expect(again.isEmpty, "a second diff: \(again)")
        }
    }
}
