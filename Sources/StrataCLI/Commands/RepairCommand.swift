import ArgumentParser
import Strata

struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Realign the history with the files: fix checksums and descriptions, remove failed entries, mark missing ones deleted.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let changes: [String]
    }

    func run() throws {
        let session = try Session(global)
        try ChangelogRun.refuse(session, "strata repair", instead: "`strata clear-checksums` makes the next migrate store the "
            + "current checksums, and `strata undo --count N` or `--tag T` rolls changesets back")
        let report = try session.migrator(create: false).repair()
        let changes = report.removedLeftovers.map { "Removed \($0.description), left behind by a failed migration" }
            + report.actions.map(\.description)
        if output.json {
            try JSONOutput.print(Report(changes: changes))
        } else if changes.isEmpty {
            Terminal.print("Nothing to repair: the history matches the files.")
        } else {
            for change in changes { Terminal.print(change) }
            Terminal.print("Repaired \(changes.count) thing\(changes.count == 1 ? "" : "s").")
        }
    }
}
