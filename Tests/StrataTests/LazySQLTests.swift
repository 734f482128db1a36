import Foundation
import StrataTestSupport
import Testing
@testable import Strata

/// A catalog read from files keeps no SQL text: each migration reads its file again when its
/// SQL is needed, checked against the checksum taken when the catalog was read.
@Suite struct LazySQLTests {
    @Test func aReadCatalogHoldsNoTextAndTheSameChecksums() throws {
        let folder = TemporaryFolder()
        let text = "CREATE TABLE t (id INT);\r\nINSERT INTO t VALUES (1);\n"
        folder.write("m/V1__first.sql", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        folder.write("m/R__view.sql", "CREATE VIEW v AS SELECT 1;")
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        #expect(catalog.all.allSatisfy { $0.source == .file })
        #expect(catalog.versioned[0].checksum == FlywayChecksum.of([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        #expect(catalog.repeatables[0].checksum == FlywayChecksum.of("CREATE VIEW v AS SELECT 1;"))
        #expect(try catalog.versioned[0].sql == text)
    }

    @Test func aDbmateBlockIsReadFromItsFile() throws {
        let folder = TemporaryFolder()
        folder.write("m/20240101000000_books.sql", "-- migrate:up\nCREATE TABLE books (id INT);\n-- migrate:down\nDROP TABLE books;\n")
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        #expect(catalog.versioned[0].source == .dbmateBlock(up: true))
        #expect(try catalog.versioned[0].sql == "-- migrate:up\nCREATE TABLE books (id INT);\n")
        #expect(try catalog.undos[0].sql == "-- migrate:down\nDROP TABLE books;\n")
        #expect(catalog.undos[0].checksum == FlywayChecksum.of("-- migrate:down\nDROP TABLE books;\n"))
    }

    @Test func aFileChangedAfterReadingIsNotRun() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__first.sql", "CREATE TABLE t (id INT);")
        let migration = try #require(try LocationReader.read(locations: [folder.file("m")]).versioned.first)
        folder.write("m/V1__first.sql", "DROP TABLE t;")
        let error = try #require(throws: CatalogError.self) { try migration.sql }
        #expect(error.problems.map(\.path) == [folder.file("m") + "/V1__first.sql"])
        #expect(error.problems[0].message.hasPrefix("the file changed after Strata read it"))
    }

    /// A file deleted between reading the catalog and running it stops the run before anything
    /// runs, naming the file.
    @Test func aFileDeletedAfterReadingStopsTheRunNamingIt() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__first.sql", "CREATE TABLE t (id INT);")
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        try FileManager.default.removeItem(atPath: folder.file("m/V1__first.sql"))
        let steps = catalog.versioned.map { PlannedStep(migration: $0, type: .sql, reason: .pending) }
        let error = try #require(throws: CatalogError.self) { try TransactionPolicy.check(steps, dialect: SQLiteDialect()) }
        #expect(error.problems.map(\.path) == [folder.file("m") + "/V1__first.sql"])
        #expect(error.problems[0].message.hasPrefix("the file no longer exists"))
    }

    @Test func placeholdersAreReplacedOnlyInFilesThatMentionThem() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__plain.sql", "CREATE TABLE t (id INT);")
        folder.write("m/V2__owner.sql", "GRANT ALL ON t TO ${owner};")
        let read = try LocationReader.read(locations: [folder.file("m")])
        #expect(read.versioned.map(\.mentionsPlaceholders) == [false, true])
        let catalog = try Placeholders(values: ["owner": "app"]).apply(to: read)
        #expect(catalog.versioned[0].source == .file)
        #expect(catalog.versioned[1].source == .text("GRANT ALL ON t TO app;"))
    }

    /// The checks made before anything runs read each pending file on their own.
    @Test func preRunChecksStillReadTheFiles() throws {
        let folder = TemporaryFolder()
        folder.write("m/V1__open.sql", "SELECT 1;\n/* never closed\nSELECT 2;")
        let catalog = try LocationReader.read(locations: [folder.file("m")])
        let steps = catalog.versioned.map { PlannedStep(migration: $0, type: .sql, reason: .pending) }
        let error = try #require(throws: MigrationScriptError.self) { try TransactionPolicy.check(steps, dialect: SQLiteDialect()) }
        #expect(error.path == folder.file("m") + "/V1__open.sql")
    }
}
