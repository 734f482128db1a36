import Foundation
@testable import Strata
import StrataLint
import SchemaTestSupport
import StrataPostgres
import StrataSchema
import StrataTestSupport
import Testing

/// The expand and contract migrations of `strata new --rename-column` and `--change-type` on a
/// real server, with writers of both application versions running during the expand.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresColumnReplacementTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private func migrate(contract: Bool = false) throws -> Int {
        let migrator = Migrator(database: try PostgresDatabase(conninfo: server.url(database: database)), catalog: try LocationReader.read(locations: [folder.file("m")]))
        migrator.backfillReader = PostgresBackfillReader()
        return try migrator.migrate(MigrateOptions(plan: PlanOptions(contract: contract), backfill: BackfillSettings(firstBatchSize: 200))).applied.count
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Old and new application versions writing at once, until stopped.
    private final class Writers: @unchecked Sendable {
        private let lock = NSLock()
        private var running = true
        private(set) var writes = 0
        private(set) var failure: String?
        private let done = DispatchSemaphore(value: 0)

        init(conninfo: String) {
            Thread {
                defer { self.done.signal() }
                do {
                    let database = try PostgresDatabase(conninfo: conninfo)
                    var round = 0
                    while self.lock.withLock({ self.running }) {
                        round += 1
                        let id = Int64(round % 3000 + 1), fresh = Int64(100_000 + round)
                        try database.execute("UPDATE people SET name = 'old app ' || $1::text WHERE id = $2", [.integer(Int64(round)), .integer(id)])
                        try database.execute("INSERT INTO people (id, name) VALUES ($1, 'old insert')", [.integer(fresh * 2)])
                        if try !database.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'full_name'", []).isEmpty {
                            try database.execute("UPDATE people SET full_name = 'new app ' || $1::text WHERE id = $2", [.integer(Int64(round)), .integer(id + 1)])
                            try database.execute("INSERT INTO people (id, full_name) VALUES ($1, 'new insert')", [.integer(fresh * 2 + 1)])
                        }
                        self.lock.withLock { self.writes += 1 }
                    }
                } catch {
                    self.lock.withLock { self.failure = "\(error)" }
                }
            }.start()
        }

        func stop() {
            lock.withLock { running = false }
            done.wait()
        }
    }

    @Test func bothColumnsStayInSyncUnderWritesUntilTheContract() throws {
        folder.write("m/V1__people.sql", "CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL);\nINSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 20000) g;\n")
        #expect(try migrate() == 1)
        let replacement = try ColumnReplacement(parsing: "people.name:full_name", requiringType: false).migrations
        #expect(replacement.count == 2, "nothing carried: no index migration")
        folder.write("m/V2__rename.sql", replacement[0].up)
        folder.write("m/V3__rename_contract.sql", replacement[1].up)

        let writers = Writers(conninfo: server.url(database: database))
        let applied = try migrate()
        writers.stop()
        #expect(writers.failure == nil, "\(writers.failure ?? "")")
        #expect(applied == 1)
        #expect(writers.writes > 0)
        #expect(try value("SELECT count(*) FROM people WHERE full_name IS DISTINCT FROM name") == "0")
        #expect(try value("SELECT count(*) > 20000, count(*) FILTER (WHERE name = 'new insert') > 0 OR \(writers.writes) < 5 FROM people") == "t|t")
        #expect(try value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = 'full_name'") == "text")

        #expect(try migrate(contract: true) == 1)
        #expect(try value("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'people'") == "id,full_name")
        #expect(try value("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'strata_sync%'") == "0")
    }

    @Test func aTypeChangeCastsIntoTheNewColumn() throws {
        folder.write("m/V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY, amount text);\nINSERT INTO accounts SELECT g, g::text FROM generate_series(1, 1000) g;\n")
        let replacement = try ColumnReplacement(parsing: "accounts.amount:amount_number:bigint", requiringType: true)
        folder.write("m/V2__amount.sql", replacement.migrations[0].up)
        #expect(try migrate() == 2)
        _ = try value("INSERT INTO accounts (id, amount_number) VALUES (5000, 42); UPDATE accounts SET amount = '7' WHERE id = 1")
        #expect(try value("SELECT sum(amount_number), count(*) FILTER (WHERE amount::bigint IS DISTINCT FROM amount_number) FROM accounts") == "500548|0")
    }

    @Test func badSpecificationsAreRefused() {
        #expect(throws: ColumnReplacementError.self) { try ColumnReplacement(parsing: "people:full_name", requiringType: false) }
        #expect(throws: ColumnReplacementError.self) { try ColumnReplacement(parsing: "people.name:name", requiringType: false) }
        #expect(throws: ColumnReplacementError.self) { try ColumnReplacement(parsing: "people.name:full_name", requiringType: true) }
    }
}
