import ArgumentParser

/// `strata tag`: Liquibase's `tag`, for `undo --tag` to roll back to.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "With --changelog: tag the newest DATABASECHANGELOG row, for `undo --tag` to go back to (Liquibase's tag).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The tag.", valueName: "name"))
    var name: String

    func run() throws {
        try ChangelogRun.required(try Session(global), json: output.json, create: true, command: "tag",
                                  otherwise: "migration folders need no tags: `strata undo --target V` goes back to a version")
            .tag(name)
    }
}
