#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// Draws migrate's events as they happen.
final class MigrationPrinter {
    /// With `--json`: nothing drawn, and the steps applied kept for the JSON report of a failed
    /// run (kept without it, they were 0.9 MB while applying 10,000 migrations).
    let quiet: Bool
    private(set) var applied: [AppliedStepJSON] = []

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func handle(_ event: MigrationEvent) {
        switch event {
        case .historyTableCreated(let table):
            say("Created the history table \(table)")
        case .baselineRecorded(let version):
            say("Recorded a baseline at version \(version) for the existing schema")
        case .adopted(let adoption):
            say("Adopted \(adoption.rows.count) migration\(adoption.rows.count == 1 ? "" : "s") from \(adoption.found.toolName)'s history")
        case .started, .lockAcquired:
            break
        case .applied(let step, let milliseconds):
            if quiet { applied.append(AppliedStepJSON(step.migration, milliseconds: milliseconds)) }
            say("  " + MigrationLabels.label(step.migration).padded(to: 48)
                + "  " + MigrationLabels.duration(milliseconds))
        case .failed(let step):
            say("  " + MigrationLabels.label(step.migration).padded(to: 48) + "  FAILED")
        case .replanned:
            say("  (another process changed the history; planning again)")
        case .waitingForBlockers(let step, let blocker):
            say("  " + MigrationLabels.label(step.migration).padded(to: 48)
                + "  no lock within the timeout (blocked by \(blocker)), rolled back; waiting for that transaction to end, queueing for nothing")
        case .lockRetry(let step, let failures, let pause, let timeout, let blocker):
            say("  " + MigrationLabels.label(step.migration).padded(to: 48)
                + "  retry \(failures) in \(pause) ms: no lock within the timeout\(blocker.map { " (blocked by \($0))" } ?? ""), rolled back; next lock_timeout \(timeout) ms")
        case .rewritten(let step, let changes):
            say("  " + MigrationLabels.label(step.migration).padded(to: 48)
                + "  runs in its safe form, as recorded steps (a rerun after a crash resumes where it stopped):")
            for change in changes { say("      " + change) }
        case .warning(let message):
            Terminal.error("warning: \(message)")
        case .notice(let message):
            // Standard error, so that a report printed with --json stays valid JSON.
            Terminal.error("  \(message)")
        case .waitingForLock(let message):
            Terminal.error(message)
        case .callback(let callback):
            say("  callback \(callback.description) (\(callback.script))")
        case .backfillProgress(let step, let progress):
            show(step, progress)
        }
    }

    /// A bar redrawn in place on a terminal, the last line only elsewhere, and a JSON line on
    /// standard error with `--json` (standard output keeps the one JSON report).
    private func show(_ step: PlannedStep, _ progress: BackfillProgress) {
        if quiet {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(BackfillProgressLine.JSON(step, progress)) {
                Terminal.error(String(decoding: data, as: UTF8.self))
            }
        } else if Terminal.outputIsTerminal {
            Terminal.redraw(BackfillProgressLine.text(step, progress))
            if progress.finished { Terminal.print("") }
        } else if progress.finished {
            Terminal.print(BackfillProgressLine.text(step, progress))
        }
    }

    private func say(_ text: String) {
        if !quiet { Terminal.print(text) }
    }

    /// - Parameter milliseconds: the whole run, locking and validation included.
    static func summary(_ report: MigrateReport, milliseconds: Int) -> String {
        let version = report.currentVersion.map { "version \($0)" } ?? "no version"
        guard !report.applied.isEmpty else {
            return "Nothing to migrate: the schema is up to date at \(version)."
        }
        let count = report.applied.count == 1 ? "1 migration" : "\(report.applied.count) migrations"
        return "Applied \(count) in \(MigrationLabels.duration(milliseconds)). The schema is now at \(version)."
    }
}
