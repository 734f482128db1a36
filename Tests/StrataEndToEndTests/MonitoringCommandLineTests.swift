import Foundation
import StrataTestSupport
import Testing

/// The audit trail, JSON logs, the metrics file and the failure hook, through the binary.
@Suite struct MonitoringCommandLineTests {
    let project = TemporaryFolder()

    init() {
        project.write("migrations/V1__books.sql", "CREATE TABLE books (id INT);\n")
        project.write("migrations/U1__books.sql", "DROP TABLE books;\n")
        project.write("migrations/V2__authors.sql", "CREATE TABLE authors (id INT);\n")
    }

    private func strata(_ arguments: String...) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path)
    }

    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON line: \(line)")
        }
    }

    @Test func historyIsTheAuditTrailFilteredByDateAndVersion() throws {
        #expect(try strata("migrate").status == 0)
        #expect(try strata("undo", "--target", "0").status == 1, "V2 has no undo script")
        project.write("migrations/U2__authors.sql", "DROP TABLE authors;\n")
        #expect(try strata("undo", "--target", "0").status == 0)
        let all = try JSONSerialization.jsonObject(with: Data(try strata("history", "--json").stdout.utf8)) as! [[String: Any]]
        #expect(all.map { $0["type"] as! String } == ["SQL", "SQL", "UNDO_SQL", "UNDO_SQL"])
        #expect(all.allSatisfy { ($0["installedOn"] as! String).count >= 19 && $0["success"] as! Bool })
        let version1 = try JSONSerialization.jsonObject(with: Data(try strata("history", "--json", "--version", "1").stdout.utf8)) as! [[String: Any]]
        #expect(version1.map { $0["type"] as! String } == ["SQL", "UNDO_SQL"])
        let future = try strata("history", "--since", "2999-01-01")
        #expect(future.stdout.split(separator: "\n").count == 1, "only the header")
        #expect(try strata("history", "--until", "2000-01-01", "--json").stdout.contains("[\n\n]") || strata("history", "--until", "2000-01-01", "--json").stdout.contains("[]"))
    }

    @Test func jsonLogsHaveOneEventPerLine() throws {
        let migrated = try strata("migrate", "--log-format", "json")
        #expect(migrated.status == 0)
        let events = try jsonLines(migrated.stderr)
        #expect(events.map { $0["event"] as! String } == [
            "run_started", "lock_acquired", "history_table_created", "step_started", "step_finished", "step_started", "step_finished", "run_finished",
        ])
        #expect(events.allSatisfy { $0["command"] as? String == "migrate" && ($0["time"] as? String)?.hasSuffix("Z") == true })
        #expect(events[4]["script"] as? String == "V1__books.sql" && events[4]["durationMs"] is Int)
        #expect(events.last?["applied"] as? Int == 2)

        project.write("migrations/V3__broken.sql", "INSERT INTO nowhere VALUES (1);\n")
        let failed = try strata("migrate", "--log-format", "json")
        #expect(failed.status == 1)
        let failure = try jsonLines(failed.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }.joined(separator: "\n"))
        #expect(failure.map { $0["event"] as! String }.suffix(3) == ["step_started", "step_failed", "run_failed"])
        #expect((failure.last?["error"] as? String)?.contains("no such table: nowhere") == true)
    }

    @Test func theMetricsFileIsPrometheusText() throws {
        #expect(try strata("migrate", "--metrics-file", "migrate.prom").status == 0)
        let text = try String(contentsOfFile: project.file("migrate.prom"), encoding: .utf8)
        #expect(text.contains("# TYPE strata_migrations_applied_total counter\nstrata_migrations_applied_total 2\n"))
        #expect(text.contains("strata_step_duration_seconds_count{kind=\"versioned\"} 2"))
        #expect(text.contains("strata_last_run_success{command=\"migrate\"} 1"))
        let names = ["strata_migrations_applied_total", "strata_migrations_failed_total", "strata_lock_retries_total", "strata_step_duration_seconds",
                     "strata_lock_wait_seconds", "strata_run_duration_seconds", "strata_last_run_success", "strata_last_run_timestamp_seconds"]
        #expect(names.filter { !text.contains("# TYPE \($0) ") }.isEmpty, "every metric the README lists: \(text)")
        #expect(text.contains("strata_migrations_failed_total 0\n") && text.contains("strata_lock_retries_total 0\n"), "counters start at zero")
        project.write("migrations/V3__pending.sql", "CREATE TABLE c (id INT);\n")
        #expect(try strata("status", "--metrics-file", "status.prom").status == 0)
        #expect(try String(contentsOfFile: project.file("status.prom"), encoding: .utf8).contains("strata_pending_migrations 1\n"))

        let parser = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            names = [family.name for path in sys.argv[1:] for family in text_string_to_metric_families(open(path).read())]
            print(" ".join(sorted(set(names))))
            """
        let parsed = try StrataBinary.runTool("/usr/bin/env", ["python3", "-c", parser, "migrate.prom", "status.prom"], in: project.path)
        if parsed.stderr.contains("No module named") && ProcessInfo.processInfo.environment["CI"] != "true" {
            print("prometheus_client is not installed here (pip install prometheus_client); the parser check is skipped")
            return
        }
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout.contains("strata_migrations_applied") && parsed.stdout.contains("strata_pending_migrations"))
    }

    @Test func aFailedRunRunsTheNotifyCommandWithItsJSON() throws {
        project.write("migrations/V3__broken.sql", "INSERT INTO nowhere VALUES (1);\n")
        let failed = try strata("migrate", "--notify-command", "cat > alert.json")
        #expect(failed.status == 1)
        let alert = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: project.file("alert.json")))) as! [String: Any]
        #expect(alert["event"] as? String == "run_failed" && alert["applied"] as? Int == 2)
        #expect((alert["error"] as? String)?.contains("V3__broken.sql") == true)
        try FileManager.default.removeItem(atPath: project.file("alert.json"))
        try FileManager.default.removeItem(atPath: project.file("migrations/V3__broken.sql"))
        #expect(try strata("migrate", "--notify-command", "cat > alert.json").status == 0)
        #expect(!FileManager.default.fileExists(atPath: project.file("alert.json")), "a successful run alerts no one")
    }

    @Test func callbacksAndTheLockWaitAreEventsToo() throws {
        project.write("migrations/beforeMigrate.sql", "CREATE TABLE IF NOT EXISTS audit (id INT);\n")
        let migrated = try strata("migrate", "--log-format", "json")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let events = try jsonLines(migrated.stderr)
        #expect(events.contains { $0["event"] as? String == "callback" && $0["script"] as? String == "beforeMigrate.sql" }, "\(events)")
        #expect(events.first { $0["event"] as? String == "lock_acquired" }?["durationMs"] is Int, "the lock's wait")
    }

    @Test func theThreeCanBeSetInStrataToml() throws {
        project.write("strata.toml", "log_format = \"json\"\nmetrics_file = \"run.prom\"\nnotify_command = \"cat > alert.json\"\n")
        project.write("migrations/V3__broken.sql", "INSERT INTO nowhere VALUES (1);\n")
        let failed = try strata("migrate")
        #expect(failed.status == 1)
        #expect(try jsonLines(failed.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }.joined(separator: "\n")).last?["event"] as? String == "run_failed")
        let metrics = try String(contentsOfFile: project.file("run.prom"), encoding: .utf8)
        #expect(metrics.contains("strata_migrations_failed_total 1\n") && metrics.contains("strata_last_run_success{command=\"migrate\"} 0"), "\(metrics)")
        let alert = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: project.file("alert.json")))) as? [String: Any]
        #expect(alert?["event"] as? String == "run_failed")
    }
}
