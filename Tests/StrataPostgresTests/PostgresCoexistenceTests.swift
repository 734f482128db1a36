import Foundation
@testable import Strata
import StrataPostgres
import StrataTestSupport
import Testing

/// Other tools' histories on a real PostgreSQL server: golang-migrate's table kept through
/// migrate, a failure outside a transaction and undo; adoption and refusal; dbmate's table
/// read by the real dbmate; and a table written the way Flyway writes it, continued.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here (pg_config --bindir has no initdb); skipping"))
struct PostgresCoexistenceTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private func migrator(_ companion: CompanionHistory?, table: TableName = .defaultHistory) throws -> Migrator {
        let migrator = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)),
                                catalog: try LocationReader.read(locations: [folder.file("m")]), table: table, installedBy: "tester")
        migrator.companion = companion
        return migrator
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func writeGolangMigrateFolder() {
        folder.write("m/000001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY, email text);\n")
        folder.write("m/000001_users.down.sql", "DROP TABLE users;\n")
        folder.write("m/000002_email.up.sql", "CREATE INDEX CONCURRENTLY users_email ON users (email);\n")
        folder.write("m/000002_email.down.sql", "DROP INDEX CONCURRENTLY users_email;\n")
    }

    @Test func golangMigrateTableFollowsMigrateFailureAndUndo() throws {
        writeGolangMigrateFolder()
        let migrator = try migrator(.golangMigrate)
        try migrator.migrate()
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "2|f")
        #expect(try value("SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'schema_migrations'")
            == "version bigint NO, dirty boolean NO")
        #expect(try value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'schema_migrations_pkey'") == "PRIMARY KEY (version)")

        folder.write("m/000003_broken.up.sql", "CREATE INDEX CONCURRENTLY broken ON nowhere (id);\n")
        #expect(throws: MigrationFailedError.self) { try self.migrator(.golangMigrate).migrate() }
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "3|t")
        _ = try self.migrator(.golangMigrate).repair()
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "2|f")

        try FileManager.default.removeItem(atPath: folder.file("m/000003_broken.up.sql"))
        try self.migrator(.golangMigrate).undo()
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "1|f")
        try self.migrator(.golangMigrate).undo()
        #expect(try value("SELECT count(*) FROM schema_migrations") == "0")
    }

    @Test func aCleanGolangMigrateDatabaseIsAdoptedAndADirtyOneRefused() throws {
        writeGolangMigrateFolder()
        try server.psql("""
            CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null);
            CREATE TABLE users (id int PRIMARY KEY, email text);
            INSERT INTO schema_migrations VALUES (1, true);
            """, database: database)
        #expect(throws: CoexistenceError.dirty(version: 1)) { try self.migrator(.golangMigrate).migrate() }
        #expect(try value("SELECT to_regclass('strata_schema_history') IS NULL") == "t")

        try server.psql("UPDATE schema_migrations SET dirty = false", database: database)
        let migrator = try migrator(.golangMigrate)
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["000002"])
        #expect(try value("SELECT version, type, checksum FROM strata_schema_history ORDER BY installed_rank")
            == "000001|SQL|\(migrator.catalog.versioned[0].checksum!)\n000002|SQL|\(migrator.catalog.versioned[1].checksum!)")
        #expect(try value("SELECT version, dirty FROM schema_migrations") == "2|f")
    }

    @Test(.enabled(if: Dbmate.available, "dbmate is not installed here; skipping"))
    func dbmateOnPostgresContinuesEitherWay() throws {
        folder.write("m/20240101000001_one.sql", "-- migrate:up\nCREATE TABLE one (id int);\n-- migrate:down\nDROP TABLE one;\n")
        folder.write("m/20240101000002_two.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY one_id ON one (id);\n-- migrate:down\nDROP INDEX one_id;\n")
        let dbmate = Dbmate.shared!
        let url = "postgres://postgres@/\(database)?sslmode=disable&socket=\(server.socketDirectory)&port=\(server.port)"
        try dbmate.run(url: url, migrations: folder.file("m"), "up")
        try dbmate.run(url: url, migrations: folder.file("m"), "rollback")
        let migrator = try migrator(.dbmate)
        #expect(try migrator.migrate().applied.map(\.step.migration.version?.text) == ["20240101000002"])
        #expect(try dbmate.run(url: url, migrations: folder.file("m"), "status").contains("Pending: 0"))
        try migrator.undo()
        #expect(try dbmate.run(url: url, migrations: folder.file("m"), "status").contains("Pending: 1"))
        #expect(try value("SELECT version FROM schema_migrations") == "20240101000001")
    }

    @Test func aFlywayHistoryIsValidatedContinuedAndKeepsFlywaysShape() throws {
        let v1 = "CREATE TABLE users (id int PRIMARY KEY);\n", v2 = "ALTER TABLE users ADD email text;\n"
        let v3 = "CREATE TABLE orders (id int);\n", u3 = "DROP TABLE orders;\n"
        folder.write("m/V1__users.sql", v1)
        folder.write("m/V2__email.sql", v2)
        folder.write("m/V3__orders.sql", v3)
        folder.write("m/U3__orders.sql", u3)
        folder.write("m/V4__order_user.sql", "ALTER TABLE orders ADD user_id int;\n")
        // Flyway 10's DDL and rows: a baseline at 1, versions 2 and 3 applied, 3 undone by Flyway Teams.
        try server.psql("""
            CREATE TABLE "public"."flyway_schema_history" (
                "installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER,
                "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL);
            ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
            CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
            CREATE TABLE users (id int PRIMARY KEY, email text);
            INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
              (1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'flyway', 0, true),
              (2, '2', 'email', 'SQL', 'V2__email.sql', \(FlywayChecksum.of(v2)), 'flyway', 12, true),
              (3, '3', 'orders', 'SQL', 'V3__orders.sql', \(FlywayChecksum.of(v3)), 'flyway', 8, true),
              (4, '3', 'orders', 'UNDO_SQL', 'U3__orders.sql', \(FlywayChecksum.of(u3)), 'flyway', 5, true);
            """, database: database)
        let flyway = TableName(schema: nil, name: "flyway_schema_history")
        #expect(try self.migrator(nil).foreignHistory() == .flyway(TableName(schema: nil, name: "flyway_schema_history")))
        let migrator = try migrator(nil, table: flyway)
        #expect(try migrator.validate().isEmpty)
        #expect(try migrator.info().infos.map(\.state) == [.baseline, .belowBaseline, .success, .undone, .pending, .pending])
        #expect(try migrator.migrate().applied.map(\.step.migration.script) == ["V3__orders.sql", "V4__order_user.sql"])
        #expect(try value("""
            SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on > now() - interval '1 minute', success
            FROM flyway_schema_history WHERE installed_rank > 4 ORDER BY 1
            """) == """
            5|3|orders|SQL|V3__orders.sql|\(FlywayChecksum.of(v3))|tester|t|t
            6|4|order user|SQL|V4__order_user.sql|\(FlywayChecksum.of("ALTER TABLE orders ADD user_id int;\n"))|tester|t|t
            """)
        #expect(try value("SELECT string_agg(data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'flyway_schema_history'")
            == "integer,character varying,character varying,character varying,character varying,integer,character varying,timestamp without time zone,integer,boolean")
        #expect(try migrator.validate().isEmpty)
    }
}
