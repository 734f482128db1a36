import ArgumentParser
import Strata

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert applied migrations with their down scripts, newest first (default: the newest one).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("How many applied migrations to revert.", valueName: "count"))
    var count: Int?

    @Option(name: .long, help: ArgumentHelp("Revert every applied version above this one; -N reverts the newest N.", valueName: "target"))
    var target: String?

    @Flag(name: .long, help: "Print the SQL that would run, with transaction boundaries and history statements; change nothing.")
    var dryRun = false

    func run() throws {
        let request: UndoRequest
        switch (count, target) {
        case (let count?, nil):
            guard count > 0 else { throw ConfigurationError("--count must be 1 or more.") }
            request = .count(count)
        case (nil, let target?):
            if target.hasPrefix("-"), let count = Int(target.dropFirst()), count > 0 {
                request = .count(count)
            } else if let version = MigrationVersion(target) {
                request = .target(version)
            } else {
                throw ConfigurationError("--target '\(target)' is not a target: use a version such as 2 or 1.4, or -N for the newest N.")
            }
        case (nil, nil):
            request = .count(1)
        case (.some, .some):
            throw ConfigurationError("Give --count or --target, not both.")
        }
        let session = try Session(global)
        if dryRun {
            Terminal.print(try session.migrator(create: false).previewUndo(request, lockRetry: session.configuration.lockRetry))
            return
        }
        let printer = MigrationPrinter(quiet: output.json)
        let migrator = try session.migrator(create: false, onEvent: printer.handle)
        if !output.json { Terminal.print("Undoing on \(session.display) (history table \(migrator.history.name))") }
        let clock = ContinuousClock()
        let start = clock.now
        let report = try migrator.undo(request, lockRetry: session.configuration.lockRetry)
        if output.json {
            try JSONOutput.print(MigrateJSON(report))
        } else if report.applied.isEmpty {
            Terminal.print("Nothing to undo: no migration is applied.")
        } else {
            let count = report.applied.count == 1 ? "1 migration" : "\(report.applied.count) migrations"
            let version = report.currentVersion.map { "version \($0)" } ?? "no version"
            Terminal.print("Undid \(count) in \(MigrationLabels.duration(Int((clock.now - start) / .milliseconds(1)))). The schema is now at \(version).")
        }
    }
}
