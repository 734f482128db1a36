import Foundation

/// Projects for the `strata test` suites: the bookshop example (SQLite) and a small shop for
/// PostgreSQL, each with a down script for every migration, and the faults a test plants in them.
public struct TestedProject {
    public enum Engine: Sendable { case sqlite, postgres }

    /// A broken down script, a missing one, a repeatable that cannot run twice, a false data check.
    public enum Fault: String, CaseIterable, Sendable {
        case downLeavesColumn, downLeavesIndex, downLeavesTrigger, missingDown, repeatableNotIdempotent, falseDataCheck
    }

    /// What a planted fault must make `strata test` name.
    public struct Expectation: Sendable {
        /// The file of the failing case.
        public let file: String
        /// The failing step, as the report writes it.
        public let step: String
        /// Text the failure's message or schema difference must hold.
        public let detail: String
    }

    public let engine: Engine
    public let folder: TemporaryFolder
    /// The migrations folder, absolute.
    public let location: String

    /// A copy of `Examples/bookshop/migrations` in a new temporary folder.
    public static func bookshop() throws -> TestedProject {
        let folder = TemporaryFolder()
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/bookshop/migrations")
        try FileManager.default.copyItem(atPath: source.path, toPath: folder.file("migrations"))
        return TestedProject(engine: .sqlite, folder: folder, location: folder.file("migrations"))
    }

    /// Tables, an index, a column added later, a trigger with its function, seed rows and a
    /// repeatable view, on PostgreSQL.
    public static func postgresShop() -> TestedProject {
        let folder = TemporaryFolder()
        let files = [
            "V1__create_authors.sql": "CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);\n",
            "U1__create_authors.sql": "DROP TABLE authors;\n",
            "V2__create_books.sql": """
                CREATE TABLE books (
                    id integer PRIMARY KEY,
                    author_id integer NOT NULL REFERENCES authors (id),
                    title text NOT NULL,
                    stock integer NOT NULL DEFAULT 0 CHECK (stock >= 0)
                );

                """,
            "U2__create_books.sql": "DROP TABLE books;\n",
            "V3__add_indexes.sql": "CREATE INDEX idx_books_author_id ON books (author_id);\nCREATE INDEX idx_books_title ON books (title);\n",
            "U3__add_indexes.sql": "DROP INDEX idx_books_author_id;\nDROP INDEX idx_books_title;\n",
            "V4__add_books_language.sql": "ALTER TABLE books ADD COLUMN language text;\n",
            "U4__add_books_language.sql": "ALTER TABLE books DROP COLUMN language;\n",
            "V5__touch_trigger.sql": """
                CREATE FUNCTION keep_stock() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.stock := greatest(NEW.stock, 0);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER trg_books_keep_stock BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION keep_stock();

                """,
            "U5__touch_trigger.sql": "DROP TRIGGER trg_books_keep_stock ON books;\nDROP FUNCTION keep_stock();\n",
            "V6__seed_books.sql": "INSERT INTO authors (id, name) VALUES (1, 'Ursula K. Le Guin');\nINSERT INTO books (id, author_id, title, stock, language) VALUES (1, 1, 'A Wizard of Earthsea', 3, 'en');\n",
            "U6__seed_books.sql": "DELETE FROM books;\nDELETE FROM authors;\n",
            "R__book_catalog_view.sql": "CREATE OR REPLACE VIEW book_catalog AS\nSELECT b.title, a.name AS author, b.stock > 0 AS in_stock FROM books b JOIN authors a ON a.id = b.author_id;\n",
        ]
        for (name, text) in files { folder.write("migrations/" + name, text) }
        return TestedProject(engine: .postgres, folder: folder, location: folder.file("migrations"))
    }

    /// Plants a fault and says what the report must show.
    @discardableResult
    public func plant(_ fault: Fault) throws -> Expectation {
        let sqlite = engine == .sqlite
        switch fault {
        case .downLeavesColumn:
            let undo = sqlite ? "U8__add_books_language.sql" : "U4__add_books_language.sql"
            write(undo, sqlite ? "DROP VIEW IF EXISTS book_catalog;\n" : "SELECT 1;\n")
            return Expectation(file: path(sqlite ? "V8__add_books_language.sql" : "V4__add_books_language.sql"), step: "undo", detail: "column books.language")
        case .downLeavesIndex:
            let undo = sqlite ? "U6__add_indexes.sql" : "U3__add_indexes.sql"
            write(undo, "DROP INDEX idx_books_author_id;\n" + (sqlite ? "DROP INDEX idx_order_items_book_id;\nDROP INDEX idx_orders_customer_id;\nDROP INDEX idx_orders_status;\n" : ""))
            return Expectation(file: path(sqlite ? "V6__add_indexes.sql" : "V3__add_indexes.sql"), step: "undo", detail: "index idx_books_title on books")
        case .downLeavesTrigger:
            if sqlite {
                write("U10__create_book_triggers.sql", "DROP TRIGGER trg_books_touch_updated_at;\n")
                return Expectation(file: path("V10__create_book_triggers.sql"), step: "undo", detail: "trigger trg_order_items_take_stock on order_items")
            }
            write("U5__touch_trigger.sql", "SELECT 1;\n")
            return Expectation(file: path("V5__touch_trigger.sql"), step: "undo", detail: "trigger trg_books_keep_stock on books")
        case .missingDown:
            let version = sqlite ? "U3__create_customers.sql" : "U2__create_books.sql"
            try FileManager.default.removeItem(atPath: path(version))
            return Expectation(file: path("V" + version.dropFirst()), step: "missing undo", detail: "has no down script")
        case .repeatableNotIdempotent:
            write("R__audit_log.sql", "CREATE TABLE audit_log (id integer);\n")
            return Expectation(file: path("R__audit_log.sql"), step: "second run", detail: "audit_log")
        case .falseDataCheck:
            let check = sqlite ? "T9__books_have_a_language.sql" : "T6__books_are_seeded.sql"
            write(check, "SELECT count(*) = 0 FROM books WHERE language IS NULL;\n-- one book too many\nSELECT count(*) = 99 FROM books;\n")
            return Expectation(file: path(check), step: "data check", detail: "line 3: expected true or no rows")
        }
    }

    public func path(_ name: String) -> String { location + "/" + name }

    public func write(_ name: String, _ text: String) {
        folder.write("migrations/" + name, text)
    }
}
