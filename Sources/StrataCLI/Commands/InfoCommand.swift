import ArgumentParser
import Strata

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show every migration and its state, newest last.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var fleet: FleetOptions

    func run() throws {
        if try fleet.ranOnTargets(global, json: output.json) { return }
        let session = try Session(global)
        let plan = try session.migrator(create: false, verifyingSums: false).info()
        if output.json {
            try JSONOutput.print(InfoReport(plan))
            return
        }
        Terminal.print("Database: \(session.display)  Schema version: \(plan.currentVersion?.text ?? "none")")
        Terminal.print(InfoReport.table(plan))
    }
}
