import Foundation
import StrataTestSupport
import Testing

/// `strata diff`, `drift`, `validate --schema` and `generate` through the binary, on SQLite.
@Suite struct SchemaComparisonCommandLineTests {
    let project = TemporaryFolder()

    init() {
        project.write("migrations/V1__authors.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")
        project.write("migrations/V2__books.sql", "CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT);\nCREATE INDEX books_title ON books (title);\n")
    }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func sqlite(_ sql: String) throws {
        let result = try StrataBinary.runTool("/usr/bin/env", ["sqlite3", "strata.db", sql], in: project.path)
        try #require(result.status == 0, "the sqlite3 shell is needed here: \(result.stderr)")
    }

    /// The replay is what `migrate` runs: backfills read as it reads them, contract migrations
    /// once applied (not while they wait for `--contract`), and a folder's schema with every phase.
    @Test func comparisonsReplayBackfillsAndAppliedContractMigrations() throws {
        project.write("migrations/V3__note.sql", "ALTER TABLE books ADD COLUMN note TEXT;\nINSERT INTO books (title) VALUES ('a'), ('b');\n")
        project.write("migrations/V4__fill.sql", "-- strata:backfill\nUPDATE books SET note = title WHERE note IS NULL;\n")
        project.write("migrations/V5__drop_title.sql", "-- strata:phase=contract\nDROP INDEX books_title;\nALTER TABLE books DROP COLUMN title;\n")
        #expect(try strata("migrate").status == 0)
        let expanded = try strata("drift")
        #expect(expanded.status == 0, "V5 awaits --contract and is not replayed: \(expanded.stdout)\(expanded.stderr)")
        #expect(try strata("migrate", "--contract").status == 0)
        let contracted = try strata("drift")
        #expect(contracted.status == 0, "V5 is applied and replayed: \(contracted.stdout)\(contracted.stderr)")
        // A version below the current one that was never applied (ignored) is not replayed either.
        project.write("migrations/V2.5__late.sql", "CREATE TABLE late (id INTEGER);\n")
        let ignored = try strata("drift")
        #expect(ignored.status == 0, "V2.5 was never applied: \(ignored.stdout)\(ignored.stderr)")
        try FileManager.default.removeItem(atPath: project.file("migrations/V2.5__late.sql"))
        #expect(try strata("validate", "--schema").status == 0)
        let same = try strata("diff", "migrations", "sqlite:strata.db")
        #expect(same.stdout == "-- The schemas are the same.\n", "\(same.stdout)\(same.stderr)")
    }

    @Test func driftListsWhatChangedOutsideTheMigrations() throws {
        #expect(try strata("migrate").status == 0)
        let clean = try strata("drift")
        #expect(clean.status == 0 && clean.stdout.contains("No drift"))
        try sqlite("ALTER TABLE books ADD COLUMN subtitle TEXT; DROP INDEX books_title; CREATE TABLE scratch (x INT);")
        let drifted = try strata("drift")
        #expect(drifted.status == 1)
        for line in ["column books.subtitle: expected none, found TEXT", "index books_title on books: expected (title), found none",
                     "table scratch: expected none, found (x INT)"] {
            #expect(drifted.stderr.contains(line), "\(drifted.stderr)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try strata("drift", "--json").stdout.utf8)) as! [String: Any]
        #expect(json["drifted"] as? Bool == true && (json["differences"] as? [Any])?.count == 3)
        let validated = try strata("validate", "--schema")
        #expect(validated.status == 1 && validated.stderr.contains("schema drift: column books.subtitle"))
        #expect(try strata("validate").status == 0, "without --schema only the history is checked")
    }

    @Test func diffComparesFoldersFilesAndDatabases() throws {
        #expect(try strata("migrate").status == 0)
        #expect(try strata("diff", "migrations", "sqlite:strata.db").stdout == "-- The schemas are the same.\n")
        project.write("desired.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL);\nCREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT);\nCREATE INDEX books_title ON books (title);\n")
        let diff = try strata("diff", "migrations", "desired.sql")
        #expect(diff.status == 0)
        #expect(diff.stderr.contains("note: authors.name → full_name may be a rename; pass --rename authors.name:full_name"))
        #expect(diff.stdout.contains("-- DESTRUCTIVE:"))
        let renamed = try strata("diff", "migrations", "desired.sql", "--rename", "authors.name:full_name")
        #expect(renamed.stdout == "ALTER TABLE authors RENAME COLUMN name TO full_name;\n\n")
        project.write("writers.sql", "CREATE TABLE writers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n" + (try String(contentsOfFile: project.file("migrations/V2__books.sql"), encoding: .utf8)).replacingOccurrences(of: "authors", with: "writers"))
        let dropped = try strata("diff", "migrations", "writers.sql")
        #expect(dropped.stdout.hasPrefix("-- DESTRUCTIVE: table authors (id INTEGER, name TEXT) loses its data\n"), "\(dropped.stdout)")
        let tableRenamed = try strata("diff", "migrations", "writers.sql", "--rename", "authors:writers")
        #expect(tableRenamed.stdout.hasPrefix("ALTER TABLE authors RENAME TO writers;\n") && !tableRenamed.stdout.contains("DESTRUCTIVE"), "\(tableRenamed.stdout)")
        let bad = try strata("diff", "migrations", "nowhere/")
        #expect(bad.status == 2 && bad.stderr.contains("'nowhere/' is neither a folder, a file nor a database URL"))
    }

    @Test func generateWritesTheMigrationAndItsUndoInTheFoldersLayout() throws {
        project.write("desired.sql", """
            CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born INTEGER);
            CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT);
            CREATE INDEX books_title ON books (title);
            CREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE, stars INTEGER CHECK (stars BETWEEN 1 AND 5));

            """)
        let generated = try strata("generate", "add reviews and birth year", "--schema", "desired.sql")
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout == "migrations/V3__add_reviews_and_birth_year.sql\nmigrations/U3__add_reviews_and_birth_year.sql\n")
        let undo = try String(contentsOfFile: project.file("migrations/U3__add_reviews_and_birth_year.sql"), encoding: .utf8)
        #expect(undo.contains("-- DESTRUCTIVE: table reviews") && undo.contains("DROP TABLE reviews;"))
        #expect(try strata("migrate").status == 0)
        #expect(try strata("drift").status == 0)
        #expect(try strata("diff", "migrations", "desired.sql").stdout == "-- The schemas are the same.\n")
        #expect(try strata("generate", "nothing", "--schema", "desired.sql").stdout.contains("Nothing to generate"))
        #expect(try strata("undo").status == 0)
        #expect(try strata("drift").status == 0, "the undo leaves the schema V2 makes")
    }

    @Test func generateFollowsGolangMigrateAndDbmateFolders() throws {
        let golang = TemporaryFolder()
        golang.write("db/000001_authors.up.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY);\n")
        golang.write("db/000001_authors.down.sql", "DROP TABLE authors;\n")
        golang.write("desired.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);\n")
        let written = try StrataBinary.run(["generate", "add name", "--schema", "desired.sql", "--locations", "db"], in: golang.path)
        #expect(written.stdout == "db/000002_add_name.up.sql\ndb/000002_add_name.down.sql\n", "\(written.stderr)")

        let dbmate = TemporaryFolder()
        dbmate.write("db/20240101000000_authors.sql", "-- migrate:up\nCREATE TABLE authors (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE authors;\n")
        dbmate.write("desired.sql", "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);\n")
        let file = try StrataBinary.run(["generate", "add name", "--schema", "desired.sql", "--locations", "db"], in: dbmate.path)
        #expect(file.status == 0, "\(file.stderr)")
        let name = try #require(file.stdout.split(separator: "\n").first.map(String.init))
        let text = try String(contentsOfFile: dbmate.file(name), encoding: .utf8)
        #expect(text.hasPrefix("-- migrate:up\nALTER TABLE authors ADD COLUMN name TEXT;") && text.contains("-- migrate:down\n"))
        #expect(try StrataBinary.run(["migrate", "--locations", "db"], in: dbmate.path).status == 0)
        #expect(try StrataBinary.run(["drift", "--locations", "db"], in: dbmate.path).status == 0)
    }
}
