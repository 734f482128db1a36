import ArgumentParser

/// `strata clear-checksums`: Liquibase's command of the same name.
struct ClearChecksumsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear-checksums",
        abstract: "With --changelog: empty every stored checksum in DATABASECHANGELOG; the next migrate stores the current ones.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try ChangelogRun.required(try Session(global), json: output.json, create: false, command: "clear-checksums",
                                  otherwise: "for migration folders, `strata repair` rewrites the stored checksums from the files")
            .clearChecksums()
    }
}
