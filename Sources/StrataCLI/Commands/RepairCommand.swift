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
        let actions = try Session(global).migrator(create: false).repair()
        if output.json {
            try JSONOutput.print(Report(changes: actions.map(\.description)))
        } else if actions.isEmpty {
            Terminal.print("Nothing to repair: the history matches the files.")
        } else {
            for action in actions { Terminal.print(action.description) }
            Terminal.print("Repaired \(actions.count) entr\(actions.count == 1 ? "y" : "ies").")
        }
    }
}
