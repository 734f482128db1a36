import ArgumentParser
import Strata

struct AdoptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Record in Strata's history what golang-migrate or dbmate applied, so that nothing runs twice.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Print the SQL that would record it; change nothing.")
    var dryRun = false

    func run() throws {
        let session = try Session(global)
        let migrator = try session.migrator(create: !dryRun)
        if dryRun {
            return Terminal.print(try migrator.previewAdopt())
        }
        guard let adoption = try migrator.adopt() else { throw NothingToAdopt() }
        let report = AdoptionReport(found: adoption.found, outcome: .success(adoption))
        if output.json { return try JSONOutput.print(report) }
        Terminal.print(report.text(verb: "recorded"))
        if session.configuration.history == nil {
            Terminal.print("Set history = \"\(adoption.found.toolName)\" (or --history \(adoption.found.toolName)) to keep its table up to date as Strata migrates.")
        }
    }
}

/// `adopt` found no other tool's history.
struct NothingToAdopt: StrataError {
    var category: ErrorCategory { .failure }
    var description: String {
        "No other tool's history is here: no schema_migrations table (golang-migrate, dbmate) and no flyway_schema_history. "
            + "Check --url and --schemas; a database without any history is taken on by `strata baseline` or `strata migrate --baseline-on-migrate`."
    }
}
