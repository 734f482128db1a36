import ArgumentParser
import Strata
import StrataLiquibaseRunner

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert applied migrations with their down scripts, newest first (default: the newest one).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("How many applied migrations to revert (1 or more).", valueName: "count"))
    var count: Int?

    @Option(name: .long, help: ArgumentHelp("Revert every applied version above this one; -N reverts the newest N.", valueName: "target"))
    var target: UndoTarget?

    @Flag(name: .long, help: "Print the SQL that would run, with transaction boundaries and history statements; change nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("With --changelog: roll back every changeset applied after the one tagged so.", valueName: "tag"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("With --changelog: roll back every changeset applied after this time (YYYY-MM-DD HH:MM:SS).", valueName: "date"))
    var date: String?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be 1 or more, not \(count).") }
        if [count != nil, target != nil, tag != nil, date != nil].filter({ $0 }).count > 1 {
            throw ValidationError("Give one of --count, --target, --tag and --date.")
        }
    }

    func run() throws {
        let request: UndoRequest = switch (count, target) {
        case (let count?, _): .count(count)
        case (nil, .newest(let count)?): .count(count)
        case (nil, .version(let version)?): .target(version)
        case (nil, nil): .count(1)
        }
        let session = try Session(global)
        if let changelog = try ChangelogRun.open(session, json: output.json, create: false) {
            let request: ChangeLogRollbackRequest = switch (tag, date) {
            case (let tag?, _): .tag(tag)
            case (nil, let date?): .date(date)
            case (nil, nil): .count(count ?? 1)
            }
            guard target == nil else { throw ValidationError("With --changelog, undo takes --count, --tag or --date, not --target.") }
            return try dryRun ? PreviewJSON.print(changelog.runner.rollbackSQL(request), json: output.json) : changelog.undo(request)
        }
        guard tag == nil, date == nil else { throw ValidationError("--tag and --date roll back a Liquibase changelog: add --changelog FILE.") }
        if dryRun {
            try PreviewJSON.print(try session.migrator(create: false).previewUndo(request, lockRetry: session.configuration.lockRetry), json: output.json)
            return
        }
        let printer = MigrationPrinter(quiet: output.json)
        let migrator = try session.migrator(create: false, onEvent: printer.handle)
        if !output.json { Terminal.print("Undoing on \(session.display) (history table \(migrator.history.name))") }
        let clock = ContinuousClock()
        let start = clock.now
        let report: MigrateReport
        do {
            report = try migrator.undo(request, lockRetry: session.configuration.lockRetry)
        } catch let error as MigrationFailedError {
            if output.json { try JSONOutput.print(MigrateJSON(applied: printer.applied, error: error)) }
            throw error
        }
        if output.json {
            try JSONOutput.print(MigrateJSON(report))
        } else if report.applied.isEmpty {
            Terminal.print(report.currentVersion.map { "Nothing to undo: the schema is at version \($0), and nothing above the target is applied." }
                ?? "Nothing to undo: no migration is applied.")
        } else {
            let count = report.applied.count == 1 ? "1 migration" : "\(report.applied.count) migrations"
            let version = report.currentVersion.map { "version \($0)" } ?? "no version"
            Terminal.print("Undid \(count) in \(MigrationLabels.duration(Int((clock.now - start) / .milliseconds(1)))). The schema is now at \(version).")
        }
    }
}
