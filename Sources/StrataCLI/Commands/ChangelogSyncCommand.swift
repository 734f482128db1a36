import ArgumentParser

/// `strata changelog-sync`: Liquibase's `changelog-sync` (and, with --dry-run, `changelog-sync-sql`).
struct ChangelogSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changelog-sync",
        abstract: "With --changelog: record every pending changeset as run without running it (Liquibase's changelog-sync).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Stop after the changeset that writes this tag (changelog-sync-to-tag).", valueName: "tag"))
    var tag: String?

    @Flag(name: .long, help: "Print the DATABASECHANGELOG writes instead (changelog-sync-sql); change nothing.")
    var dryRun = false

    func run() throws {
        try ChangelogRun.required(try Session(global), json: output.json, create: !dryRun, command: "changelog-sync",
                                  otherwise: "for migration folders, `strata baseline --version V` records the versions up to V as applied")
            .sync(count: nil, upToTag: tag, dryRun: dryRun)
    }
}
