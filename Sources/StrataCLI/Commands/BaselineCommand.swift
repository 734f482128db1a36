import ArgumentParser
import Strata

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record that an existing database already holds every version up to --version.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("The version the database is at.", valueName: "version"))
    var version: MigrationVersion = MigrationVersion("1")!

    @Option(name: .long, help: ArgumentHelp("The baseline's description.", valueName: "text"))
    var description: String = BaselineDecision.defaultDescription

    struct Report: Encodable {
        let version: String
        let recorded: Bool
    }

    func run() throws {
        let parsed = version
        let session = try Session(global)
        try ChangelogRun.refuse(session, "strata baseline", instead: "`strata changelog-sync` (or `mark-next-changeset-ran`) "
            + "records changesets as run without running them")
        let decision = try session.migrator(create: true).baseline(version: parsed, description: description)
        let recorded = if case .record = decision { true } else { false }
        if output.json {
            try JSONOutput.print(Report(version: parsed.text, recorded: recorded))
        } else {
            Terminal.print(recorded
                ? "Baselined at version \(parsed): migrations at or below it will not be applied."
                : "Already baselined at version \(parsed); nothing changed.")
        }
    }
}
