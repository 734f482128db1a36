import ArgumentParser
import Strata
import StrataKit

/// A one-paragraph summary for people and deploy gates: the current version, what is pending,
/// and whether the history agrees with the files.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Summarize the schema version and pending migrations; with --exit-code, exit 3 when some are pending.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var fleet: FleetOptions

    @Flag(name: .long, help: "Exit 3 when migrations are pending (1 when validation finds problems), for deploy gates and CI.")
    var exitCode = false

    struct Report: Encodable {
        let currentVersion: String?
        let pending: [String]
        var awaitingContract: [String] = []
        let findings: [String]
    }

    func run() throws {
        if try fleet.ranOnTargets(configPath: global.source.config, json: output.json) { return }
        try Self.report(global: global, json: output.json, exitCode: exitCode)
    }

    static func report(global: GlobalOptions, json: Bool, exitCode: Bool) throws {
        let session = try Session(global)
        if let changelog = try ChangelogRun.open(session, json: json, create: false) { return try changelog.status(exitCode: exitCode) }
        let plan = try session.migrator(create: false, readOnly: true).info()
        let pending = plan.steps.map { MigrationLabels.shortLabel($0.migration) }
        let awaiting = plan.awaitingContract.map(MigrationLabels.shortLabel)
        MigrationMetrics().recordPending(pending.count)
        if json {
            try JSONOutput.print(Report(currentVersion: plan.currentVersion?.text, pending: pending, awaitingContract: awaiting, findings: plan.findings.map(\.description)))
        } else {
            let version = plan.currentVersion.map { "Schema version \($0)" } ?? "No version applied"
            let summary = pending.isEmpty ? "up to date" : "\(pending.count) pending: \(pending.joined(separator: ", "))"
            let contract = awaiting.isEmpty ? "" : "; \(awaiting.count) await `strata migrate --contract`: \(awaiting.joined(separator: ", "))"
            Terminal.print("\(version); \(summary)\(contract).")
            for finding in plan.findings { Terminal.error("  - \(finding)") }
        }
        guard exitCode else { return }
        // Every finding `validate` fails on: an ignored migration is one that will never run
        // (`migrate` only skips it), which a deploy gate must not pass.
        if !plan.findings.isEmpty { throw ExitCode(1) }
        if !pending.isEmpty { throw ExitCode(3) }
    }
}
