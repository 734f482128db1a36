import ArgumentParser

/// `strata check`: `status --exit-code`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 0 when the schema is up to date, 3 when migrations are pending, 1 when validation finds problems.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var fleet: FleetOptions

    func run() throws {
        if try fleet.ranOnTargets(configPath: global.source.config, json: output.json) { return }
        try StatusCommand.report(global: global, json: output.json, exitCode: true)
    }
}
