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
        if try fleet.ranOnTargets(configPath: global.source.config, json: output.json) { return }
        let session = try Session(global)
        if let changelog = try ChangelogRun.open(session, json: output.json, create: false) { return try changelog.info() }
        let migrator = try session.migrator(create: false, verifyingSums: false, readOnly: true)
        let plan = try migrator.info()
        // Without Strata's history, another tool's says what is applied.
        let foreign = try migrator.history.exists() ? nil : try migrator.adoptionReport()
        if output.json {
            try JSONOutput.print(InfoReport(plan, foreignHistory: foreign))
            return
        }
        Terminal.print("Database: \(session.display)  Schema version: \(plan.currentVersion?.text ?? "none")")
        InfoReport.printTable(plan)
        if let foreign {
            Terminal.print("\n" + foreign.text(verb: "`strata adopt` would record"))
        }
    }
}
