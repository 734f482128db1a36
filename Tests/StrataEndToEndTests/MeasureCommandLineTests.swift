import Foundation
import StrataTestSupport
import Testing

/// `strata lint --measure` on a real PostgreSQL: the lock mode and rewrite of each statement
/// kind, as measured on a scratch copy of the schema, against what PostgreSQL 15's documentation
/// says (the section each expectation comes from is named with it).
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct MeasureCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()

    /// One statement of the measured migration, what it must lock and whether it rewrites.
    struct Expectation {
        let sql: String
        let relation: String
        let lock: String
        let rewrites: Bool
        /// The PostgreSQL 15 documentation section that says so.
        let source: String
        /// Another relation it must lock, and how.
        var also: (relation: String, lock: String)?
    }

    static let expectations: [Expectation] = [
        Expectation(sql: "ALTER TABLE accounts ADD COLUMN note text;", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, Description: an ACCESS EXCLUSIVE lock is acquired unless explicitly noted; Notes: adding a column without a default needs no rewrite"),
        Expectation(sql: "ALTER TABLE accounts ADD COLUMN created timestamptz DEFAULT now();", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, Notes: a non-volatile DEFAULT is evaluated once and stored in the catalog, with no rewrite"),
        Expectation(sql: "ALTER TABLE accounts ADD COLUMN token float8 DEFAULT random();", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: true,
                    source: "sql-altertable, Notes: adding a column with a volatile DEFAULT rewrites the table and its indexes"),
        Expectation(sql: "ALTER TABLE accounts ALTER COLUMN score TYPE bigint;", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: true,
                    source: "sql-altertable, Notes: changing the type of an existing column normally rewrites the table and its indexes"),
        Expectation(sql: "ALTER TABLE accounts ALTER COLUMN email TYPE text;", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, Notes: no rewrite when the old type is binary coercible to the new one (varchar to text)"),
        Expectation(sql: "ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, SET/DROP NOT NULL: the table is scanned, not rewritten"),
        Expectation(sql: "ALTER TABLE orders ADD CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;",
                    relation: "orders", lock: "SHARE ROW EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, ADD table_constraint: a foreign key takes SHARE ROW EXCLUSIVE on the table and on the referenced table",
                    also: ("accounts", "SHARE ROW EXCLUSIVE")),
        Expectation(sql: "ALTER TABLE orders VALIDATE CONSTRAINT orders_account;", relation: "orders", lock: "SHARE UPDATE EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, plus ROW SHARE on the referenced table for a foreign key",
                    also: ("accounts", "ROW SHARE")),
        Expectation(sql: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;", relation: "orders", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, Description: ADD CONSTRAINT CHECK is not among the forms noted with a weaker lock"),
        Expectation(sql: "CREATE INDEX orders_account_id ON orders (account_id);", relation: "orders", lock: "SHARE", rewrites: false,
                    source: "explicit-locking 13.3.1, SHARE: acquired by CREATE INDEX (without CONCURRENTLY)"),
        Expectation(sql: "DROP INDEX orders_total;", relation: "orders", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-dropindex, CONCURRENTLY: a normal DROP INDEX acquires an ACCESS EXCLUSIVE lock on the table",
                    also: ("orders_total", "ACCESS EXCLUSIVE")),
        Expectation(sql: "ALTER TABLE accounts RENAME COLUMN note TO remark;", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, RENAME: ACCESS EXCLUSIVE, a catalog change only"),
        Expectation(sql: "ALTER TABLE logs RENAME TO events;", relation: "logs", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, RENAME: ACCESS EXCLUSIVE, a catalog change only"),
        Expectation(sql: "ALTER TABLE accounts SET (fillfactor = 70);", relation: "accounts", lock: "SHARE UPDATE EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, SET ( storage_parameter ): fillfactor, toast and autovacuum parameters take SHARE UPDATE EXCLUSIVE"),
        Expectation(sql: "ALTER TABLE accounts ALTER COLUMN score SET STATISTICS 500;", relation: "accounts", lock: "SHARE UPDATE EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, SET STATISTICS: acquires a SHARE UPDATE EXCLUSIVE lock"),
        Expectation(sql: "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, Description: ADD CONSTRAINT UNIQUE builds an index under the default ACCESS EXCLUSIVE"),
        Expectation(sql: "REINDEX INDEX orders_pkey;", relation: "orders_pkey", lock: "ACCESS EXCLUSIVE", rewrites: true,
                    source: "sql-reindex, Notes: locks out writes (SHARE) on the parent table and takes ACCESS EXCLUSIVE on the index it rebuilds",
                    also: ("orders", "SHARE")),
        Expectation(sql: "CLUSTER orders USING orders_pkey;", relation: "orders", lock: "ACCESS EXCLUSIVE", rewrites: true,
                    source: "explicit-locking 13.3.1, ACCESS EXCLUSIVE: acquired by CLUSTER; sql-cluster: the table is rewritten in index order"),
        Expectation(sql: "TRUNCATE scratch;", relation: "scratch", lock: "ACCESS EXCLUSIVE", rewrites: true,
                    source: "explicit-locking 13.3.1, ACCESS EXCLUSIVE: acquired by TRUNCATE; sql-truncate: new storage instead of a scan"),
        Expectation(sql: "ALTER TABLE accounts DROP COLUMN remark;", relation: "accounts", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "sql-altertable, Notes: DROP COLUMN does not physically remove the column, so no rewrite"),
        Expectation(sql: "DROP TABLE scratch;", relation: "scratch", lock: "ACCESS EXCLUSIVE", rewrites: false,
                    source: "explicit-locking 13.3.1, ACCESS EXCLUSIVE: acquired by DROP TABLE"),
    ]

    @Test func eachStatementKindLocksAndRewritesAsTheDocumentationSays() throws {
        let database = try server.createDatabase()
        let url = server.url(database: database)
        project.write("migrations/V1__tables.sql", """
            CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(50), name text, score int);
            CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, total numeric(10, 2));
            CREATE INDEX orders_total ON orders (total);
            CREATE TABLE logs (id bigint, body text);
            CREATE TABLE scratch (id int);
            INSERT INTO scratch VALUES (1);

            """)
        #expect(try StrataBinary.run(["migrate", "--url", url], in: project.path).status == 0)
        _ = try server.psql("CREATE TABLE profiles (id int, bio varchar(100))", database: database)
        let statements = Self.expectations.map(\.sql) + [
            "ALTER TABLE profiles ALTER COLUMN bio TYPE text;",
            "CREATE INDEX CONCURRENTLY orders_id_total ON orders (id, total);",
            "VACUUM FULL events;",
        ]
        project.write("migrations/V2__changes.sql", "-- strata:transaction=false\n" + statements.joined(separator: "\n") + "\n")

        let started = try StrataBinary.start(["lint", "--measure", "--json", "--url", url], in: project.path)
        let pid = started.0.processIdentifier
        let result = StrataBinary.finish(started)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let measured = try #require(report["statements"] as? [[String: Any]])
        #expect(measured.count == statements.count)
        for (index, expected) in Self.expectations.enumerated() {
            let statement = measured[index]
            #expect(statement["line"] as? Int == index + 2 && statement["status"] as? String == "measured", "\(expected.sql): \(statement)")
            let locks = statement["locks"] as? [[String: Any]] ?? []
            func strongest(_ relation: String) -> String? {
                locks.first { $0["relation"] as? String == relation }?["mode"] as? String
            }
            #expect(strongest(expected.relation) == expected.lock, "\(expected.sql) — \(expected.source)")
            if let also = expected.also {
                #expect(strongest(also.relation) == also.lock, "\(expected.sql) on \(also.relation) — \(expected.source)")
            }
            let rewritten = statement["rewritten"] as? [String] ?? []
            #expect(rewritten.contains(expected.relation) == expected.rewrites, "\(expected.sql) — \(expected.source)")
        }

        let unknownType = measured[Self.expectations.count]
        #expect(unknownType["rewritten"] as? [String] == [], "varchar to text keeps the storage")
        let agreeing = measured.prefix(Self.expectations.count).filter { !(($0["disagreements"] as? [Any])?.isEmpty ?? true) }
        #expect(agreeing.isEmpty, "every rule agrees with PostgreSQL where it knows the column types: \(agreeing)")
        let disagreements = unknownType["disagreements"] as? [[String: Any]]
        #expect(disagreements?.map { $0["rule"] as? String } == ["alter-column-type"],
                "the rule cannot see profiles.bio's type in the migrations and assumes a rewrite; the measurement wins")
        #expect((disagreements?.first?["message"] as? String)?.contains("PostgreSQL kept its storage. The measurement wins.") == true)
        #expect(measured[Self.expectations.count + 1]["status"] as? String == "outside-transaction")
        #expect(measured[Self.expectations.count + 2]["status"] as? String == "outside-transaction")

        // Its own only: other suites make scratch databases on the same server at the same time.
        let scratchDatabases = try server.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'strata_scratch_\(pid)_%'")
        #expect(scratchDatabases.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the scratch database is dropped")
        let untouched = try server.psql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts'", database: database)
        #expect(untouched.trimmingCharacters(in: .whitespacesAndNewlines) == "4", "the target is not changed")
        #expect((report["lint"] as? [String: Any])?["errors"] as? Int ?? 0 > 0)
        #expect(result.status == 1, "error-level findings remain")

        let text = try StrataBinary.run(["lint", "--measure", "--url", url], in: project.path)
        #expect(text.stdout.contains("""
              4: ALTER TABLE accounts ADD COLUMN token float8 DEFAULT random()
                 locks: accounts (table): ACCESS EXCLUSIVE, SHARE; accounts_pkey (index): ACCESS EXCLUSIVE
                 rewrites: accounts, accounts_pkey
            """))
        #expect(text.stdout.contains("not measured: PostgreSQL runs it only outside a transaction"))
        #expect(text.stdout.contains("[alter-column-type] The rule says profiles is rewritten; PostgreSQL kept its storage. The measurement wins."))
    }

    /// README: status `failed` for "a statement PostgreSQL refused", with its error, the next
    /// statement measured all the same, and exit 1 though the lint found nothing wrong.
    @Test func aStatementPostgresRefusesIsFailedAndTheRunExitsOne() throws {
        let database = try server.createDatabase()
        let url = server.url(database: database)
        project.write("migrations/V1__t.sql", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);\n")
        #expect(try StrataBinary.run(["migrate", "--url", url], in: project.path).status == 0)
        project.write("migrations/V2__changes.sql", "ALTER TABLE t ALTER COLUMN note SET DEFAULT 'x';\nALTER TABLE t ALTER COLUMN missing SET DEFAULT 'y';\nCOMMENT ON TABLE t IS 'notes';\n")
        let result = try StrataBinary.run(["lint", "--measure", "--json", "--url", url], in: project.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
        #expect((report["lint"] as? [String: Any])?["errors"] as? Int == 0, "\(report)")
        let measured = try #require(report["statements"] as? [[String: Any]])
        #expect(measured.map { $0["status"] as? String } == ["measured", "failed", "measured"], "\(measured)")
        #expect((measured[1]["error"] as? String)?.contains("column \"missing\" of relation \"t\" does not exist") == true, "\(measured[1])")
        #expect(result.status == 1)
    }
}
