@testable import Strata
@testable import StrataLint
import Testing

/// The safe form of a migration, decided from the parse tree alone: no database.
@Suite(.enabled(if: SafeRewriter.isAvailable, "libpg_query is not installed here; skipping"))
struct SafeRewriterTests {
    private func rewrite(_ sql: String, postgresVersion: Int = 15, newTables: Set<String> = []) throws -> MigrationRewrite? {
        var tables = newTables
        return try rewrite(sql, postgresVersion: postgresVersion, newTables: &tables)
    }

    private func rewrite(_ sql: String, postgresVersion: Int = 15, newTables: inout Set<String>) throws -> MigrationRewrite? {
        let migration = Migration(kind: .versioned, version: MigrationVersion("2"), description: "x", script: "V2__x.sql",
                                  folder: "", checksum: 0, sql: sql, directives: try ScriptDirectives.parse(sql))
        return try SafeRewriter(postgresVersion: postgresVersion).rewrite(migration, newTables: &newTables)
    }

    @Test func tablesCreatedEarlierInTheRunAreLeftAloneUnlessTheMigrationTouchesAnOlderOne() throws {
        var tables: Set<String> = []
        #expect(try rewrite("CREATE TABLE books (id int PRIMARY KEY, title text);\nCREATE TABLE shelves (id int);\n", newTables: &tables) == nil)
        #expect(tables == ["books", "shelves"], "what a migration creates is new to the migrations after it")
        #expect(try rewrite("CREATE INDEX books_title ON books (title);\nALTER TABLE shelves ADD CONSTRAINT s CHECK (id > 0);\n", newTables: &tables) == nil,
                "only new tables: plain statements in one transaction")
        let mixed = "CREATE INDEX books_title ON books (title);\nCREATE INDEX accounts_email ON accounts (email);\n"
        let rewritten = try #require(try rewrite(mixed, newTables: &tables))
        #expect(rewritten == (try rewrite(mixed)), "an older table too: the same phases as without new tables, so that a resumed run finds them")
        #expect(rewritten.phases.count == 2)
    }

    @Test func aStatementTheParserRejectsKeepsTheMigrationAsWrittenWhereverItStands() throws {
        #expect(try rewrite("INSERT INTO audit VALUES (1,;\nCREATE INDEX accounts_email ON accounts (email);\n") == nil,
                "a data change is kept without parsing it, until a rewrite would depend on it")
        #expect(try rewrite("CREATE INDEX accounts_email ON accounts (email);\nCREATE VIEW v AS SELECT FROM WHERE;\n") == nil)
        #expect(try rewrite("CREATE INDEX accounts_email ON accounts (email);\nALTER TABLE t ADD COLUMN;\n") == nil)
    }

    @Test func statementsThatNeitherChangeNorInformARewriteAreKeptInOrder() throws {
        #expect(SafeRewriter.neitherReplacedNorInforming("/* seed */ insert into t values (1)"))
        #expect(SafeRewriter.neitherReplacedNorInforming("CREATE OR REPLACE VIEW v AS SELECT 1"))
        #expect(SafeRewriter.neitherReplacedNorInforming("WITH x AS (SELECT 1) DELETE FROM t"))
        #expect(!SafeRewriter.neitherReplacedNorInforming("CREATE TABLE t (a int)"), "a created table tells what is new")
        #expect(!SafeRewriter.neitherReplacedNorInforming("CREATE TEMP VIEW v AS SELECT 1"), "only the forms listed are passed over")
        #expect(!SafeRewriter.neitherReplacedNorInforming("ALTER TABLE t ADD COLUMN b int"))
        let safe = try #require(try rewrite("CREATE VIEW v AS SELECT 1;\nCREATE INDEX accounts_email ON accounts (email);\nGRANT SELECT ON v TO PUBLIC;\n"))
        #expect(safe.phases == [.transaction("CREATE VIEW v AS SELECT 1;"),
                                .outside("CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);", index: TableName(schema: nil, name: "accounts_email")),
                                .transaction("GRANT SELECT ON v TO PUBLIC;")])
    }

    @Test func anIndexIsBuiltConcurrentlyOutsideTheTransaction() throws {
        let safe = try #require(try rewrite("CREATE UNIQUE INDEX accounts_email ON app.accounts (lower(email));"))
        #expect(safe.phases == [.outside("CREATE UNIQUE INDEX CONCURRENTLY accounts_email ON app.accounts (lower(email));",
                                         index: TableName(schema: "app", name: "accounts_email"))])
        #expect(safe.changes.count == 1 && safe.changes[0].hasPrefix("line 1: CREATE INDEX accounts_email → CONCURRENTLY"))
    }

    @Test func aForeignKeyIsAddedNotValidAndValidatedInATransactionOfItsOwn() throws {
        let safe = try #require(try rewrite("""
            INSERT INTO audit VALUES (1);
            ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE -- the owner
            ;
            UPDATE audit SET n = 2;
            """))
        #expect(safe.phases == [
            .transaction("INSERT INTO audit VALUES (1);\nALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE\nNOT VALID;"),
            .transaction("ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;"),
            .transaction("UPDATE audit SET n = 2;"),
        ])
    }

    @Test func aNamedCheckIsAddedNotValidAndAnUnnamedOneStaysAsWritten() throws {
        let safe = try #require(try rewrite("ALTER TABLE t ADD CONSTRAINT positive CHECK (b > 0);"))
        #expect(safe.phases == [.transaction("ALTER TABLE t ADD CONSTRAINT positive CHECK (b > 0)\nNOT VALID;"),
                                .transaction("ALTER TABLE t VALIDATE CONSTRAINT positive;")])
        #expect(try rewrite("ALTER TABLE t ADD CHECK (b > 0);") == nil)
    }

    @Test func setNotNullGoesThroughAValidatedCheck() throws {
        let safe = try #require(try rewrite("ALTER TABLE t ALTER COLUMN b SET NOT NULL;"))
        #expect(safe.phases == [
            .transaction("ALTER TABLE t ADD CONSTRAINT strata_nn_t_b CHECK (b IS NOT NULL) NOT VALID;"),
            .transaction("ALTER TABLE t VALIDATE CONSTRAINT strata_nn_t_b;"),
            .transaction("ALTER TABLE t ALTER COLUMN b SET NOT NULL;\nALTER TABLE t DROP CONSTRAINT strata_nn_t_b;"),
        ])
        #expect(try rewrite("ALTER TABLE t ALTER COLUMN b SET NOT NULL;", postgresVersion: 11) == nil, "before 12 SET NOT NULL scans anyway")
    }

    @Test func aUniqueConstraintUsesAConcurrentIndex() throws {
        let safe = try #require(try rewrite("ALTER TABLE t ADD PRIMARY KEY (id, \"Part\");"))
        #expect(safe.phases == [
            .outside("CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON t (id, \"Part\");", index: TableName(schema: nil, name: "t_pkey")),
            .transaction("ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey;"),
        ])
        #expect(try rewrite("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a) DEFERRABLE;") == nil, "its index could not carry the option")
        #expect(try rewrite("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a) INCLUDE (b);") == nil, "README: INCLUDE is left as written")
        #expect(try rewrite("ALTER TABLE t ADD PRIMARY KEY (id) INCLUDE (b);") == nil)
    }

    @Test func aVolatileDefaultBecomesAColumnADefaultAndABackfill() throws {
        let safe = try #require(try rewrite("ALTER TABLE t ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();"))
        #expect(safe.phases == [
            .transaction("ALTER TABLE t ADD COLUMN created_at timestamptz;\nALTER TABLE t ALTER COLUMN created_at SET DEFAULT clock_timestamp();"),
            .backfill(Backfill(table: TableName(schema: nil, name: "t"), change: .update(assignments: "created_at = DEFAULT"), condition: "created_at IS NULL")),
        ])
        #expect(try rewrite("ALTER TABLE t ADD COLUMN c int DEFAULT 0;") == nil, "a constant default is stored once")
        #expect(try rewrite("ALTER TABLE t ADD COLUMN c timestamptz NOT NULL DEFAULT clock_timestamp();") == nil)
    }

    @Test func tablesCreatedInTheMigrationAndUnsafeShapesAreLeftAlone() throws {
        #expect(try rewrite("CREATE TABLE n (id int);\nCREATE INDEX n_id ON n (id);\nALTER TABLE n ALTER COLUMN id SET NOT NULL;") == nil)
        #expect(try rewrite("CREATE INDEX ON t (b);") == nil, "an unnamed index would be built twice by a resumed run")
        #expect(try rewrite("ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;") == nil)
        #expect(try rewrite("-- strata:transaction=false\nCREATE INDEX i ON t (b);") == nil)
        #expect(try rewrite("CREATE INDEX CONCURRENTLY i ON t (b);") == nil)
    }
}
