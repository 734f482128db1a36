import ArgumentParser

/// `strata mark-next-changeset-ran`: Liquibase's command of the same name.
struct MarkNextChangeSetRanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-next-changeset-ran",
        abstract: "With --changelog: record the next pending changeset as run without running it (Liquibase's mark-next-changeset-ran).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Print the DATABASECHANGELOG write instead; change nothing.")
    var dryRun = false

    func run() throws {
        try ChangelogRun.required(try Session(global), json: output.json, create: !dryRun, command: "mark-next-changeset-ran",
                                  otherwise: "for migration folders, `strata baseline --version V` records a version as applied")
            .sync(count: 1, upToTag: nil, dryRun: dryRun)
    }
}
