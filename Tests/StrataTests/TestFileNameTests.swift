import StrataTestSupport
import Testing
@testable import Strata

@Suite struct TestFileNameTests {
    @Test func namesDataChecksAndSeeds() {
        #expect(TestFileName.classify("T9__books_have_a_language.sql") == .testFile(TestFileName(kind: .dataCheck, version: MigrationVersion("9"), description: "books have a language")))
        #expect(TestFileName.classify("S__customers.sql") == .testFile(TestFileName(kind: .seed, version: nil, description: "customers")))
        #expect(TestFileName.classify("S1_2__orders.sql") == .testFile(TestFileName(kind: .seed, version: MigrationVersion("1.2"), description: "orders")))
        for unrelated in ["Tables.sql", "Seed.sql", "T9__x.txt", "V1__x.sql"] {
            #expect(TestFileName.classify(unrelated) == .unrelated, "\(unrelated)")
        }
        for malformed in ["T__no_version.sql", "T9_one_underscore.sql", "Tx__bad.sql", "S2__.sql"] {
            guard case .malformed = TestFileName.classify(malformed) else {
                Issue.record("\(malformed) should be malformed")
                continue
            }
        }
    }

    @Test func migrationsIgnoreThemAndTheTestReaderReadsThem() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__t.sql", "CREATE TABLE t (id INT);")
        folder.write("m/checks/T1__t_is_empty.sql", "SELECT count(*) = 0 FROM t;")
        folder.write("m/S__before.sql", "SELECT 1;")
        folder.write("m/S1__rows.sql", "INSERT INTO t VALUES (1);")
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        #expect(catalog.all.map(\.script) == ["V1__t.sql"])
        let files = try LocationReader.readTestFiles(locations: [folder.file("m")])
        #expect(files.dataChecks(after: MigrationVersion("1")!).map(\.path) == [folder.file("m/checks/T1__t_is_empty.sql")])
        #expect(files.seeds.map(\.description) == ["before", "rows"])
    }

    @Test func aMalformedNameStopsOnlyTheTestReader() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__t.sql", "CREATE TABLE t (id INT);")
        folder.write("m/T1_t.sql", "SELECT 1;")
        #expect(try LocationReader.read(locations: [folder.file("m")]).versioned.count == 1)
        let error = #expect(throws: CatalogError.self) { try LocationReader.readTestFiles(locations: [folder.file("m")]) }
        #expect(error?.problems.map(\.path) == [folder.file("m/T1_t.sql")])
        #expect(error?.problems.first?.message.contains("no `__`") == true)
    }
}
