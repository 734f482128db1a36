import Foundation
import StrataTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Backfills and expand/contract phases through the built `strata` binary on a real server.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct BackfillCommandLineTests {
    let server = TestPostgres.shared!
    let project = TemporaryFolder()
    let database: String

    init() throws {
        database = try server.createDatabase()
    }

    private var url: String { server.url(database: database) }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func value(_ sql: String) throws -> String {
        try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aKilledBackfillResumesFromItsLastBatch() throws {
        project.write("migrations/V1__data.sql", "CREATE TABLE t (id int PRIMARY KEY, hits int NOT NULL DEFAULT 0);\nINSERT INTO t (id) SELECT generate_series(1, 8000);\n")
        // Each row sleeps at least 0.2 ms, so the whole backfill takes seconds: time to kill it half way.
        project.write("migrations/V2__fill.sql", "-- strata:backfill\nUPDATE t SET hits = hits + 1 + 0 * length(pg_sleep(0.0002)::text);\n")
        let started = try StrataBinary.start(["migrate", "--url", url], in: project.path)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let done = (try? value("SELECT coalesce(max(rows_done), 0) FROM strata_backfill_state")) ?? ""
            if let rows = Int(done), rows >= 1000 { break }
            usleep(50_000)
        }
        kill(started.0.processIdentifier, SIGKILL)
        _ = StrataBinary.finish(started)
        #expect(try value("SELECT count(*) FROM strata_schema_history WHERE version = '2'") == "0")
        let partial = try value("SELECT count(*) FILTER (WHERE hits = 1) FROM t")
        #expect((Int(partial) ?? 0) >= 1000 && (Int(partial) ?? 0) < 8000, "rows done before the kill: \(partial)")
        #expect(try value("SELECT max(rows_done) FROM strata_backfill_state") == partial)

        let resumed = try strata("migrate", "--url", url, "--json")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try value("SELECT count(*), min(hits), max(hits) FROM t") == "8000|1|1")
        #expect(try value("SELECT success FROM strata_schema_history WHERE version = '2'") == "t")
        #expect(try value("SELECT to_regclass('strata_backfill_state') IS NULL") == "t")
        let lines = resumed.stderr.split(separator: "\n").filter { $0.contains("\"backfill_progress\"") }
        let last = try #require(lines.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(last["finished"] as? Bool == true)
        #expect(last["rows"] as? Int == 8000)
        #expect(last["script"] as? String == "V2__fill.sql")
        #expect((try? JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8))) != nil, "progress must not break --json")
    }

    @Test func contractMigrationsWaitForTheFlag() throws {
        project.write("migrations/V1__expand.sql", "CREATE TABLE people (id int PRIMARY KEY, name text, full_name text);\n")
        project.write("migrations/V2__contract.sql", "-- strata:phase=contract\nALTER TABLE people DROP COLUMN name;\n")
        project.write("migrations/V3__more.sql", "CREATE TABLE more (id int);\n")
        let expand = try strata("migrate", "--url", url)
        #expect(expand.status == 0, "\(expand.stderr)")
        #expect(expand.stdout.contains("The schema is now at version 1"))
        #expect(try value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'name'") == "1")
        let status = try strata("status", "--url", url)
        #expect(status.stdout.contains("up to date; 2 await `strata migrate --contract`: V2 contract, V3 more."), "\(status.stdout)")
        let info = try strata("info", "--url", url)
        #expect(info.stdout.contains("awaiting_contract"))

        let contract = try strata("migrate", "--url", url, "--contract")
        #expect(contract.status == 0, "\(contract.stderr)")
        #expect(try value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'name'") == "0")
        #expect(try value("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM strata_schema_history") == "1,2,3")
    }
}
