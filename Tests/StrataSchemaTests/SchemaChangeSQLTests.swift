import StrataSchema
import Testing

/// Each change's SQL on both engines, its inverse and whether it is destructive.
@Suite struct SchemaChangeSQLTests {
    let users = QualifiedName("users")
    let orders = QualifiedName(schema: "Shop", "orders")

    func sql(_ change: SchemaChange, _ flavor: SQLFlavor) throws -> [String] {
        try change.statements(for: flavor).map(\.sql)
    }

    @Test func identifiersAreQuotedOnlyWhereTheEngineNeedsIt() {
        #expect(SQLFlavor.postgresql.quote("users") == "users")
        #expect(SQLFlavor.postgresql.quote("Users") == "\"Users\"")
        #expect(SQLFlavor.postgresql.quote("order") == "\"order\"")
        #expect(SQLFlavor.postgresql.quote("a\"b") == "\"a\"\"b\"")
        #expect(SQLFlavor.postgresql.quote(orders) == "\"Shop\".orders")
        #expect(SQLFlavor.sqlite.quote("Users") == "Users")
        #expect(SQLFlavor.sqlite.quote("group") == "\"group\"")
        #expect(SQLFlavor.sqlite.quote("1st") == "\"1st\"")
        #expect(SQLFlavor.sqlite.literal("it's") == "'it''s'")
    }

    @Test func createTableWritesColumnsConstraintsIndexesAndComments() throws {
        let table = Table(
            name: users,
            columns: [
                Column(name: "id", type: "bigint", nullable: false, identity: .always),
                Column(name: "email", type: "text", nullable: false, collation: "C", comment: "login"),
                Column(name: "Score", type: "integer", defaultValue: "0"),
            ],
            primaryKey: PrimaryKey(name: "users_pkey", columns: ["id"]),
            uniques: [UniqueConstraint(columns: ["email"], deferrable: .initiallyDeferred)],
            foreignKeys: [ForeignKey(name: "users_team_fkey", columns: ["Score"], referencedTable: QualifiedName("teams"),
                                     referencedColumns: ["id"], onDelete: .cascade)],
            checks: [CheckConstraint(name: "score_positive", expression: "\"Score\" >= 0")],
            indexes: [Index(name: "users_lower_email", unique: true, method: "btree",
                            keys: [.init("lower(email)", isColumn: false), .init("Score", descending: true, nullsFirst: false)],
                            include: ["id"], predicate: "\"Score\" > 0")],
            comment: "people")
        #expect(try sql(.createTable(table), .postgresql) == [
            """
            CREATE TABLE users (
                id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                email text COLLATE "C" NOT NULL,
                "Score" integer DEFAULT 0,
                CONSTRAINT users_pkey PRIMARY KEY (id),
                UNIQUE (email) DEFERRABLE INITIALLY DEFERRED,
                CONSTRAINT users_team_fkey FOREIGN KEY ("Score") REFERENCES teams (id) ON DELETE CASCADE,
                CONSTRAINT score_positive CHECK ("Score" >= 0)
            );
            """,
            "CREATE UNIQUE INDEX users_lower_email ON users USING btree ((lower(email)), \"Score\" DESC NULLS LAST) INCLUDE (id) WHERE \"Score\" > 0;",
            "COMMENT ON TABLE users IS 'people';",
            "COMMENT ON COLUMN users.email IS 'login';",
        ])
        #expect(throws: SchemaChangeError.unsupported("identity columns (users.id)", flavor: .sqlite)) {
            try sql(.createTable(table), .sqlite)
        }
    }

    @Test func sqliteTablesKeepTheirOptionsAndTakeExpressionDefaultsInParentheses() throws {
        let table = Table(name: users, columns: [
            Column(name: "id", type: "INTEGER", nullable: false),
            Column(name: "created", type: "TEXT", defaultValue: "datetime('now')"),
            Column(name: "kind", type: "TEXT", defaultValue: "'a'"),
            Column(name: "total", type: "REAL", generated: "price * 2"),
        ], primaryKey: PrimaryKey(columns: ["id"]), options: ["STRICT"])
        #expect(try sql(.createTable(table), .sqlite) == ["""
            CREATE TABLE users (
                id INTEGER NOT NULL,
                created TEXT DEFAULT (datetime('now')),
                kind TEXT DEFAULT 'a',
                total REAL GENERATED ALWAYS AS (price * 2) STORED,
                PRIMARY KEY (id)
            ) STRICT;
            """])
    }

    @Test func columnChangesOnPostgreSQL() throws {
        let email = Column(name: "email", type: "text")
        #expect(try sql(.addColumn(table: orders, email), .postgresql) == ["ALTER TABLE \"Shop\".orders ADD COLUMN email text;"])
        #expect(try sql(.dropColumn(table: users, email), .postgresql) == ["ALTER TABLE users DROP COLUMN email;"])
        #expect(try sql(.renameColumn(table: users, from: "email", to: "Mail"), .postgresql)
            == ["ALTER TABLE users RENAME COLUMN email TO \"Mail\";"])
        #expect(try sql(.alterColumnType(table: users, column: "n", from: ColumnType("text"), to: ColumnType("integer"),
                                          using: "n::integer"), .postgresql)
            == ["ALTER TABLE users ALTER COLUMN n TYPE integer USING n::integer;"])
        #expect(try sql(.alterColumnNullability(table: users, column: "n", nullable: false), .postgresql)
            == ["ALTER TABLE users ALTER COLUMN n SET NOT NULL;"])
        #expect(try sql(.alterColumnDefault(table: users, column: "n", from: "1", to: nil), .postgresql)
            == ["ALTER TABLE users ALTER COLUMN n DROP DEFAULT;"])
        #expect(try sql(.alterColumnIdentity(table: users, column: "n", from: nil, to: .byDefault), .postgresql)
            == ["ALTER TABLE users ALTER COLUMN n ADD GENERATED BY DEFAULT AS IDENTITY;"])
    }

    @Test func columnChangesOnSQLite() throws {
        #expect(try sql(.addColumn(table: users, Column(name: "note", type: "TEXT", defaultValue: "'x'")), .sqlite)
            == ["ALTER TABLE users ADD COLUMN note TEXT DEFAULT 'x';"])
        #expect(try sql(.renameColumn(table: users, from: "a", to: "b"), .sqlite) == ["ALTER TABLE users RENAME COLUMN a TO b;"])
        #expect(try sql(.dropColumn(table: users, Column(name: "a", type: "TEXT")), .sqlite) == ["ALTER TABLE users DROP COLUMN a;"])
        #expect(throws: SchemaChangeError.needsTableRebuild(table: users, change: "add the NOT NULL column n without a default")) {
            try sql(.addColumn(table: users, Column(name: "n", type: "TEXT", nullable: false)), .sqlite)
        }
        #expect(throws: SchemaChangeError.needsTableRebuild(table: users, change: "change the type of column n")) {
            try sql(.alterColumnType(table: users, column: "n", from: ColumnType("TEXT"), to: ColumnType("INTEGER")), .sqlite)
        }
        #expect(throws: SchemaChangeError.needsTableRebuild(table: users, change: "add a constraint")) {
            try sql(.addConstraint(table: users, .check(CheckConstraint(expression: "n > 0"))), .sqlite)
        }
    }

    @Test func constraintsAreDroppedByTheirOwnOrPostgresDefaultName() throws {
        let key = ForeignKey(columns: ["team_id"], referencedTable: QualifiedName("teams"), referencedColumns: ["id"])
        #expect(try sql(.addConstraint(table: users, .foreignKey(key)), .postgresql)
            == ["ALTER TABLE users ADD FOREIGN KEY (team_id) REFERENCES teams (id);"])
        #expect(try sql(.dropConstraint(table: users, .foreignKey(key)), .postgresql)
            == ["ALTER TABLE users DROP CONSTRAINT users_team_id_fkey;"])
        #expect(try sql(.dropConstraint(table: users, .primaryKey(PrimaryKey(columns: ["id"]))), .postgresql)
            == ["ALTER TABLE users DROP CONSTRAINT users_pkey;"])
        #expect(try sql(.dropConstraint(table: users, .unique(UniqueConstraint(columns: ["a", "b"]))), .postgresql)
            == ["ALTER TABLE users DROP CONSTRAINT users_a_b_key;"])
        #expect(throws: SchemaChangeError.self) {
            try sql(.dropConstraint(table: users, .check(CheckConstraint(expression: "a > 0"))), .postgresql)
        }
    }

    @Test func indexesViewsTriggersAndComments() throws {
        let index = Index(name: "by_email", keys: [.init("email")], predicate: "deleted IS NULL")
        #expect(try sql(.createIndex(table: orders, index), .postgresql)
            == ["CREATE INDEX by_email ON \"Shop\".orders (email) WHERE deleted IS NULL;"])
        #expect(try sql(.dropIndex(table: orders, index), .postgresql) == ["DROP INDEX \"Shop\".by_email;"])
        #expect(try sql(.createIndex(table: users, index), .sqlite) == ["CREATE INDEX by_email ON users (email) WHERE deleted IS NULL;"])
        #expect(try sql(.dropIndex(table: users, index), .sqlite) == ["DROP INDEX by_email;"])

        let view = View(name: QualifiedName("active"), definition: " SELECT id FROM users WHERE active;\n", comment: "live")
        #expect(try sql(.createView(view), .postgresql)
            == ["CREATE VIEW active AS\nSELECT id FROM users WHERE active;", "COMMENT ON VIEW active IS 'live';"])
        #expect(try sql(.createView(view), .sqlite) == ["CREATE VIEW active AS\nSELECT id FROM users WHERE active;"])
        var changed = view
        changed.definition = "SELECT id, name FROM users WHERE active"
        #expect(try sql(.replaceView(from: view, to: changed), .postgresql)
            == ["CREATE OR REPLACE VIEW active AS\nSELECT id, name FROM users WHERE active;"])
        #expect(try sql(.replaceView(from: view, to: changed), .sqlite)
            == ["DROP VIEW active;", "CREATE VIEW active AS\nSELECT id, name FROM users WHERE active;"])
        let totals = View(name: QualifiedName("totals"), definition: "SELECT 1", materialized: true)
        #expect(try sql(.dropView(totals), .postgresql) == ["DROP MATERIALIZED VIEW totals;"])
        #expect(throws: SchemaChangeError.self) { try sql(.createView(totals), .sqlite) }

        let trigger = Trigger(name: "touch", table: users,
                              definition: "CREATE TRIGGER touch AFTER UPDATE ON users BEGIN UPDATE users SET n = 1; END")
        #expect(try sql(.createTrigger(trigger), .sqlite) == ["CREATE TRIGGER touch AFTER UPDATE ON users BEGIN UPDATE users SET n = 1; END;"])
        #expect(try sql(.dropTrigger(trigger), .sqlite) == ["DROP TRIGGER touch;"])
        #expect(try sql(.dropTrigger(trigger), .postgresql) == ["DROP TRIGGER touch ON users;"])

        #expect(try sql(.setComment(.column(table: users, column: "n"), from: nil, to: "it's"), .postgresql)
            == ["COMMENT ON COLUMN users.n IS 'it''s';"])
        #expect(try sql(.setComment(.table(users), from: "x", to: nil), .postgresql) == ["COMMENT ON TABLE users IS NULL;"])
        #expect(try sql(.setComment(.table(users), from: nil, to: "x"), .sqlite) == [])
    }

    @Test func postgresOnlyObjects() throws {
        let status = EnumType(name: QualifiedName("status"), values: ["new", "done"])
        #expect(try sql(.createEnum(status), .postgresql) == ["CREATE TYPE status AS ENUM ('new', 'done');"])
        #expect(try sql(.addEnumValue(type: status.name, value: "late", before: "done"), .postgresql)
            == ["ALTER TYPE status ADD VALUE 'late' BEFORE 'done';"])
        #expect(try sql(.dropEnum(status), .postgresql) == ["DROP TYPE status;"])
        let domain = Domain(name: QualifiedName("positive"), type: "integer", nullable: false, defaultValue: "1",
                            checks: [CheckConstraint(name: "positive_check", expression: "VALUE > 0")])
        #expect(try sql(.createDomain(domain), .postgresql)
            == ["CREATE DOMAIN positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);"])
        var loosened = domain
        loosened.nullable = true
        loosened.checks = [CheckConstraint(name: "small", expression: "VALUE < 10")]
        #expect(try sql(.alterDomain(from: domain, to: loosened), .postgresql) == [
            "ALTER DOMAIN positive DROP NOT NULL;", "ALTER DOMAIN positive DROP CONSTRAINT positive_check;",
            "ALTER DOMAIN positive ADD CONSTRAINT small CHECK (VALUE < 10);",
        ])
        let sequence = Sequence(name: QualifiedName("ids"), type: "integer", maximum: 1000, ownedBy: "users.id")
        #expect(try sql(.createSequence(sequence), .postgresql)
            == ["CREATE SEQUENCE ids AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 1000 START WITH 1 CACHE 1 NO CYCLE OWNED BY users.id;"])
        var faster = sequence
        faster.increment = 10
        faster.ownedBy = nil
        #expect(try sql(.alterSequence(from: sequence, to: faster), .postgresql) == ["ALTER SEQUENCE ids INCREMENT BY 10 OWNED BY NONE;"])
        #expect(try sql(.createExtension(Extension(name: "uuid-ossp", schema: "ext", version: "1.1")), .postgresql)
            == ["CREATE EXTENSION \"uuid-ossp\" WITH SCHEMA ext VERSION '1.1';"])
        #expect(try sql(.createNamespace("Billing"), .postgresql) == ["CREATE SCHEMA \"Billing\";"])
        let routine = Routine(name: QualifiedName("add_one"), signature: "integer",
                              definition: "CREATE FUNCTION add_one(integer) RETURNS integer LANGUAGE sql AS $$ SELECT $1 + 1; $$;\n")
        #expect(try sql(.replaceRoutine(from: nil, to: routine), .postgresql)
            == ["CREATE OR REPLACE FUNCTION add_one(integer) RETURNS integer LANGUAGE sql AS $$ SELECT $1 + 1; $$;"])
        #expect(try sql(.dropRoutine(routine), .postgresql) == ["DROP FUNCTION add_one(integer);"])
        for change in [SchemaChange.createEnum(status), .createSequence(sequence), .replaceRoutine(from: nil, to: routine), .createNamespace("x")] {
            #expect(throws: SchemaChangeError.self) { try sql(change, .sqlite) }
        }
        let policy = OpaqueObject(kind: "policy", name: QualifiedName("own_rows"),
                                  definition: "CREATE POLICY own_rows ON users USING (true)", drop: "DROP POLICY own_rows ON users")
        #expect(try sql(.createOpaque(policy), .postgresql) == ["CREATE POLICY own_rows ON users USING (true);"])
        #expect(try sql(.dropOpaque(policy), .postgresql) == ["DROP POLICY own_rows ON users;"])
    }

    @Test func renamingATableIntoAnotherSchemaMovesItFirst() throws {
        #expect(try sql(.renameTable(from: users, to: QualifiedName("people")), .sqlite) == ["ALTER TABLE users RENAME TO people;"])
        #expect(try sql(.renameTable(from: users, to: QualifiedName(schema: "crm", "people")), .postgresql)
            == ["ALTER TABLE users SET SCHEMA crm;", "ALTER TABLE crm.users RENAME TO people;"])
    }

    @Test func inversesUndoAndDropsRecreateWholeObjects() {
        let table = Table(name: users, columns: [Column(name: "id", type: "integer")], indexes: [Index(name: "i", keys: [.init("id")])])
        #expect(SchemaChange.dropTable(table).inverse == .createTable(table))
        #expect(SchemaChange.createTable(table).inverse == .dropTable(table))
        #expect(SchemaChange.renameColumn(table: users, from: "a", to: "b").inverse == .renameColumn(table: users, from: "b", to: "a"))
        #expect(SchemaChange.alterColumnNullability(table: users, column: "a", nullable: false).inverse
            == .alterColumnNullability(table: users, column: "a", nullable: true))
        #expect(SchemaChange.alterColumnType(table: users, column: "a", from: ColumnType("text"), to: ColumnType("integer"), using: "a::int").inverse
            == .alterColumnType(table: users, column: "a", from: ColumnType("integer"), to: ColumnType("text")))
        #expect(SchemaChange.addEnumValue(type: users, value: "x", before: nil).inverse == nil)
        let routine = Routine(name: QualifiedName("f"), signature: "", definition: "CREATE FUNCTION f() …")
        #expect(SchemaChange.replaceRoutine(from: nil, to: routine).inverse == .dropRoutine(routine))
        let changes: [SchemaChange] = [
            .createNamespace("a"), .createTable(table), .dropIndex(table: users, table.indexes[0]),
            .setComment(.table(users), from: "a", to: "b"), .updateExtension(name: "e", from: "1", to: "2"),
        ]
        for change in changes { #expect(change.inverse?.inverse == change) }
    }

    @Test func dropsAndNarrowingsAreDestructive() {
        #expect(SchemaChange.dropTable(Table(name: users, columns: [])).isDestructive)
        #expect(SchemaChange.dropColumn(table: users, Column(name: "a", type: "text")).isDestructive)
        #expect(!SchemaChange.addColumn(table: users, Column(name: "a", type: "text")).isDestructive)
        func narrowing(_ from: String, _ to: String) -> Bool { ColumnType.isNarrowing(from: from, to: to) }
        #expect(narrowing("bigint", "integer"))
        #expect(narrowing("varchar(20)", "character varying(10)"))
        #expect(narrowing("text", "varchar(10)"))
        #expect(narrowing("numeric(10,2)", "numeric(10,1)"))
        #expect(narrowing("bigint", "numeric(10,0)"))
        #expect(narrowing("text", "integer"))
        #expect(!narrowing("int4", "bigint"))
        #expect(!narrowing("varchar(10)", "character varying(20)"))
        #expect(!narrowing("character varying(10)", "text"))
        #expect(!narrowing("numeric(10,2)", "numeric(12,3)"))
        #expect(!narrowing("integer", "numeric"))
        #expect(!narrowing("timestamp", "timestamptz"))
        #expect(SchemaChange.alterColumnType(table: users, column: "a", from: ColumnType("bigint"), to: ColumnType("integer")).isDestructive)
        #expect(!SchemaChange.alterColumnType(table: users, column: "a", from: ColumnType("integer"), to: ColumnType("bigint")).isDestructive)
    }
}
