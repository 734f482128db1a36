import Testing
@testable import Strata

@Suite struct PlaceholderTests {
    let placeholders = Placeholders(values: ["owner": "app", "table": "people"], builtIns: ["user": "ann", "schema": "main"])

    @Test func valuesAndBuiltInsAreReplaced() throws {
        let migration = Build.versioned("1", "grant", sql: "-- by ${strata:user} in ${strata:filename}\nCREATE TABLE ${table} (id INT);\nGRANT ALL ON ${table} TO ${owner};")
        let replaced = try placeholders.apply(to: migration)
        #expect(try replaced.sql == "-- by ann in V1__grant.sql\nCREATE TABLE people (id INT);\nGRANT ALL ON people TO app;")
        #expect(replaced.checksum == migration.checksum, "versioned checksums cover the raw text")
    }

    @Test func repeatableChecksumsCoverTheReplacedText() throws {
        let view = Build.repeatable("view", sql: "CREATE VIEW v AS SELECT * FROM ${table};")
        let first = try placeholders.apply(to: view)
        let second = try Placeholders(values: ["table": "others"]).apply(to: view)
        #expect(first.checksum == FlywayChecksum.of("CREATE VIEW v AS SELECT * FROM people;"))
        #expect(first.checksum != second.checksum)
    }

    @Test func unresolvedPlaceholdersAreAllReportedWithTheirLines() throws {
        let catalog = Build.catalog(
            Build.versioned("1", "a", sql: "SELECT 1;\nSELECT '${missing}';"),
            Build.versioned("2", "b", sql: "SELECT ${owner};\n\n\nSELECT ${strata:nothing};"))
        let error = try #require(throws: CatalogError.self) { try placeholders.apply(to: catalog) }
        #expect(error.problems.count == 2)
        #expect(error.problems[0].message.hasPrefix("line 2: the placeholder ${missing} has no value"))
        #expect(error.problems[1].message.hasPrefix("line 4: the placeholder ${strata:nothing} has no value"))
    }

    @Test func aFileCanOptOut() throws {
        let migration = Build.versioned("1", "raw", sql: "-- strata:placeholders=false\nSELECT '${not_a_placeholder}';")
        #expect(try placeholders.apply(to: migration).sql == (try migration.sql))
        let unclosed = Build.versioned("2", "open", sql: "SELECT '${oops';")
        #expect(throws: CatalogProblem.self) { try placeholders.apply(to: unclosed) }
    }
}
