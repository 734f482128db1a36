import Foundation
import StrataTestSupport
import Testing
@testable import Strata

@Suite struct LocationReaderTests {
    @Test func readsFoldersRecursivelyAndOrdersByVersion() throws {
        let folder = TemporaryFolder()
        folder.write("m/dir2/V2_0__Add_key.sql", "ALTER TABLE t ADD COLUMN k INT;")
        folder.write("m/V1_1__Populate.sql", "INSERT INTO t VALUES (1);")
        folder.write("m/dir1/V1__First.sql", "CREATE TABLE t (id INT);")
        folder.write("m/R__View.sql", "CREATE VIEW v AS SELECT 1;")
        folder.write("m/README.md", "not a migration")
        folder.write("m/helper.sql", "-- not a migration either")

        let catalog = try LocationReader.read(locations: [folder.file("m")])
        #expect(catalog.versioned.map(\.version!.text) == ["1", "1.1", "2.0"])
        #expect(catalog.versioned.map(\.script) == ["dir1/V1__First.sql", "V1_1__Populate.sql", "dir2/V2_0__Add_key.sql"])
        #expect(catalog.repeatables.map(\.description) == ["View"])
        #expect(catalog.versioned[0].checksum == FlywayChecksum.of("CREATE TABLE t (id INT);"))
    }

    @Test func readsSeveralLocationsAndAcceptsTheFilesystemPrefix() throws {
        let folder = TemporaryFolder()
        folder.write("a/V1__One.sql", "SELECT 1;")
        folder.write("b/V2__Two.sql", "SELECT 2;")
        let catalog = try LocationReader.read(locations: ["filesystem:" + folder.file("a"), folder.file("b") + "/"])
        #expect(catalog.versioned.map(\.description) == ["One", "Two"])
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__First.sql", "SELECT 1;")
        folder.write("m/sub/V1.0__Again.sql", "SELECT 1;")
        folder.write("m/V2_x.sql", "SELECT 2;")
        folder.write("m/Vx__y.sql", "SELECT 3;")
        folder.write("m/V3__Latin1.sql", bytes: Array("SELECT '".utf8) + [0xE9] + Array("';".utf8))
        let error = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(error.problems.count == 4)
        let text = error.description
        #expect(text.contains("V2_x.sql"))
        #expect(text.contains("Vx__y.sql"))
        #expect(text.contains("V3__Latin1.sql: the file is not valid UTF-8 at byte offset 8 (line 1)"))
        #expect(text.contains("V1.0__Again.sql: version 1.0 is also used by \(folder.file("m/V1__First.sql"))"))
    }

    @Test func duplicateRepeatablesAreErrors() throws {
        let folder = TemporaryFolder()
        folder.write("m/R__View.sql", "SELECT 1;")
        folder.write("m/other/R__View.sql", "SELECT 2;")
        let error = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(error.problems.count == 1)
    }

    @Test func aBaselineAndAVersionMayShareAVersion() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__One.sql", "SELECT 1;")
        folder.write("m/B1__Snapshot.sql", "SELECT 1;")
        folder.write("m/U1__Undo_one.sql", "SELECT 1;")
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        #expect(catalog.baselines.count == 1 && catalog.versioned.count == 1 && catalog.undos.count == 1)
    }

    @Test func byteOrderMarkIsNotPartOfTheSQL() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__Bom.sql", bytes: [0xEF, 0xBB, 0xBF] + Array("SELECT 1;\r\n".utf8))
        let migration = try #require(try LocationReader.read(locations: [folder.file("m")]).versioned.first)
        #expect(try migration.sql == "SELECT 1;\r\n")
        #expect(migration.checksum == 78787420)
    }

    /// Regression: SQLite and PostgreSQL stop reading a script at a NUL byte, so the statements
    /// after it were skipped without a word.
    @Test func aNULByteIsAnErrorNamingTheFileAndLine() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__Nul.sql", bytes: Array("CREATE TABLE a (id INT);\n".utf8) + [0] + Array("\nCREATE TABLE b (id INT);\n".utf8))
        let error = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(error.problems.map(\.path) == [folder.file("m/V1__Nul.sql")])
        #expect(error.problems[0].message.hasPrefix("line 2 holds a NUL byte (byte offset 25)"))
    }

    /// Regression: a symbolic link named like a migration whose target is gone was skipped.
    @Test func aDanglingSymlinkNamedLikeAMigrationIsAnError() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__One.sql", "SELECT 1;")
        try FileManager.default.createSymbolicLink(atPath: folder.file("m/V2__Two.sql"), withDestinationPath: "missing.sql")
        try FileManager.default.createSymbolicLink(atPath: folder.file("m/notes.sql"), withDestinationPath: "missing.sql")
        let error = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(error.problems.map(\.path) == [folder.file("m/V2__Two.sql")])
        #expect(error.problems[0].message.hasPrefix("it is a symbolic link to 'missing.sql', which does not exist"))
    }

    @Test func aFolderMixingLayoutsIsAnErrorUnlessTheLayoutIsGiven() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__One.sql", "SELECT 1;")
        folder.write("m/V2__Two.sql", "SELECT 2;")
        folder.write("m/3_three.up.sql", "SELECT 3;")
        let error = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(error.problems.map(\.path) == [folder.file("m")])
        #expect(try LocationReader.read(locations: [folder.file("m")], layout: .flyway).versioned.count == 2)
        #expect(try LocationReader.read(locations: [folder.file("m")], layout: .golangMigrate).versioned.count == 1)
    }

    /// Regression: detection looked at one dbmate-named file only; when that one lacked its
    /// `-- migrate:up`, the folder was read as Flyway's and every dbmate file was skipped.
    @Test func aDbmateFileWithoutItsDirectiveIsAnErrorInADbmateFolder() throws {
        let folder = TemporaryFolder()
        folder.write("m/20240101000000_a.sql", "CREATE TABLE a (id INT);\n")
        folder.write("m/20240102000000_b.sql", "-- migrate:up\nCREATE TABLE b (id INT);\n-- migrate:down\nDROP TABLE b;\n")
        let error = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(error.problems.map(\.path) == [folder.file("m/20240101000000_a.sql")])
        #expect(error.problems[0].message.contains("line 1: a dbmate migration needs a `-- migrate:up` line"))

        folder.write("m/20240101000000_a.sql", "CREATE TABLE a (id INT);\n")
        try FileManager.default.removeItem(atPath: folder.file("m/20240102000000_b.sql"))
        let alone = try #require(throws: CatalogError.self) { try LocationReader.read(locations: [folder.file("m")]) }
        #expect(alone.problems.map(\.path) == [folder.file("m/20240101000000_a.sql")])
        #expect(try LocationReader.read(locations: [folder.file("m")], layout: .flyway).versioned.isEmpty)
    }

    @Test func missingLocationIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) { try LocationReader.read(locations: ["/nonexistent/strata/migrations"]) }
    }
}
