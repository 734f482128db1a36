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
        if let spec = fleet.targets {
            return try FleetRun(fleet, spec: spec, configPath: global.source.config, json: output.json)
                .run(arguments: StrataCommand.invocationArguments)
        }
        try StatusCommand.report(global: global, json: output.json, exitCode: true)
    }
}
