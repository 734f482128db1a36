#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Metrics
import Strata
import StrataLint

/// Watches one command run for log pipelines, metrics and alerts: `--log-format json` writes
/// one JSON event per line on standard error, `--metrics-file` writes the run's metrics in
/// Prometheus's text format when it ends, and `--notify-command` runs a command with the
/// failure's JSON on its standard input when it fails.
final class RunObserver {
    /// The observer of the command that is running, if it asked for one; set by ``Session``.
    nonisolated(unsafe) static var current: RunObserver?
    /// The running command's name, set before it runs.
    nonisolated(unsafe) static var commandName = "strata"

    /// Whether standard error carries the JSON log, where what would be text is an event.
    let jsonLog: Bool
    private let metricsFile: String?
    private let metrics: PrometheusTextFile?
    private let notifyCommand: String?
    private let database: String
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var applied = 0

    init(jsonLog: Bool, metricsFile: String?, notifyCommand: String?, database: String) {
        self.jsonLog = jsonLog
        self.metricsFile = metricsFile
        self.notifyCommand = notifyCommand
        self.database = database
        start = clock.now
        if metricsFile != nil {
            let file = PrometheusTextFile()
            MetricsSystem.bootstrap(file)
            metrics = file
        } else {
            metrics = nil
        }
        log(LogEvent(event: "run_started", database: database))
    }

    /// One line per event the migrator reports.
    func handle(_ event: MigrationEvent) {
        switch event {
        case .historyTableCreated(let table):
            log(LogEvent(event: "history_table_created", table: table.description))
        case .baselineRecorded(let version):
            log(LogEvent(event: "baseline_recorded", version: version.text))
        case .adopted(let adoption):
            log(LogEvent(event: "adopted", message: "\(adoption.rows.count) from \(adoption.found.toolName)"))
        case .started(let step):
            log(LogEvent(event: "step_started", step: step))
        case .applied(let step, let milliseconds):
            applied += 1
            log(LogEvent(event: "step_finished", step: step, durationMs: milliseconds))
        case .failed(let step):
            log(LogEvent(event: "step_failed", step: step))
        case .replanned:
            log(LogEvent(event: "replanned"))
        case .lockRetry(let step, let failures, let pause, let next, let blocker):
            var line = LogEvent(event: "retry", step: step)
            (line.failures, line.pauseMs, line.nextLockTimeoutMs, line.blockedBy) = (failures, pause, next, blocker)
            log(line)
        case .waitingForBlockers(let step, let blocker):
            var line = LogEvent(event: "waiting_for_blockers", step: step)
            line.blockedBy = blocker
            log(line)
        case .rewritten(let step, let changes):
            var line = LogEvent(event: "rewritten", step: step)
            line.message = changes.joined(separator: "\n")
            log(line)
        case .warning(let message):
            log(LogEvent(event: "warning", message: message))
        case .notice(let message):
            log(LogEvent(event: "notice", message: message))
        case .waitingForLock(let message):
            log(LogEvent(event: "waiting_for_lock", message: message))
        case .lockAcquired(let waited):
            log(LogEvent(event: "lock_acquired", durationMs: waited))
        case .callback(let callback):
            log(LogEvent(event: "callback", script: callback.script))
        case .backfillProgress(let step, let progress):
            var line = LogEvent(event: "backfill_progress", step: step, table: progress.table.description)
            (line.rows, line.estimatedRows, line.rowsPerSecond) = (progress.rows, progress.estimatedRows, Int(progress.rowsPerSecond.rounded()))
            line.finished = progress.finished
            log(line)
        }
    }

    /// One `lint_finding` line per finding of the migrations `migrate` is about to apply.
    func lintFindings(_ findings: [LintFinding]) {
        for finding in findings {
            var line = LogEvent(event: "lint_finding", message: "[\(finding.rule)] \(finding.message)", script: finding.path)
            (line.line, line.severity) = (finding.line, finding.severity.rawValue)
            log(line)
        }
    }

    /// Ends the run: its last log line, the metrics file, and the alert when it failed.
    func finish(error: (any Error)?) {
        let milliseconds = Int((clock.now - start) / .milliseconds(1))
        var last = LogEvent(event: error == nil ? "run_finished" : "run_failed", database: database, durationMs: milliseconds)
        last.applied = applied
        last.error = error.map { "\($0)" }
        log(last)
        if let metrics, let metricsFile {
            let dimensions = [("command", Self.commandName)]
            Timer(label: "strata_run_duration_seconds", dimensions: dimensions).recordMilliseconds(milliseconds)
            Gauge(label: "strata_last_run_success", dimensions: dimensions).record(error == nil ? 1 : 0)
            Gauge(label: "strata_last_run_timestamp_seconds", dimensions: dimensions).record(Int(time(nil)))
            do {
                try metrics.text.write(toFile: metricsFile, atomically: true, encoding: .utf8)
            } catch {
                Terminal.error("warning: cannot write the metrics file \(metricsFile): \(error)")
            }
        }
        if error != nil, let notifyCommand { notify(notifyCommand, last) }
    }

    private func log(_ event: LogEvent) {
        guard jsonLog else { return }
        Terminal.error(event.json)
    }

    /// Runs the alerting hook through the shell with the failure's JSON on its standard input.
    private func notify(_ command: String, _ event: LogEvent) {
        guard let pipe = popen(command, "w") else {
            Terminal.error("warning: cannot run --notify-command '\(command)'")
            return
        }
        fputs(event.json + "\n", pipe)
        let status = pclose(pipe)
        if status != 0 { Terminal.error("warning: --notify-command '\(command)' exited with status \(status >> 8)") }
    }
}

/// One line of `--log-format json`.
struct LogEvent: Encodable {
    let event: String
    var command = RunObserver.commandName
    var time = LogEvent.now()
    var database: String?
    var version: String?
    var script: String?
    var kind: String?
    var table: String?
    var durationMs: Int?
    var applied: Int?
    var failures: Int?
    var pauseMs: Int?
    var nextLockTimeoutMs: Int?
    var blockedBy: String?
    var line: Int?
    var severity: String?
    var message: String?
    var error: String?
    var rows: Int?
    var estimatedRows: Int?
    var rowsPerSecond: Int?
    var finished: Bool?

    init(event: String, database: String? = nil, step: PlannedStep? = nil, durationMs: Int? = nil, version: String? = nil,
         table: String? = nil, message: String? = nil, script: String? = nil) {
        self.event = event
        self.database = database
        self.version = version ?? step?.migration.version?.text
        self.script = script ?? step?.migration.script
        self.kind = step?.migration.kind.rawValue
        self.durationMs = durationMs
        self.table = table
        self.message = message
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{\"event\":\"\(event)\"}"
    }

    /// UTC, to the millisecond, as log pipelines expect: `2026-11-30T12:00:00.123Z`.
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var parts = tm()
        var seconds = spec.tv_sec
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let base = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millis = spec.tv_nsec / 1_000_000
        return base + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + String(millis) + "Z"
    }
}
