import ArgumentParser
import Strata

/// `strata history`: the audit trail of every run, from the history table.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the audit trail: every migration, undo, repair and baseline recorded, with who, when, how long and the outcome.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Only rows installed on or after this date (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only rows installed on or before this date (YYYY-MM-DD).", valueName: "date"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Only rows of this version.", valueName: "version"))
    var version: MigrationVersion?

    struct Row: Encodable {
        let installedRank: Int
        let version: String?
        let description: String
        let type: String
        let script: String
        let checksum: Int32?
        let installedBy: String
        let installedOn: String
        let executionTimeMs: Int
        let success: Bool
    }

    func validate() throws {
        for (option, date) in [("--since", since), ("--until", until)] {
            guard let date else { continue }
            let parts = date.split(separator: "-")
            guard parts.count == 3, parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else {
                throw ValidationError("\(option) '\(date)' is not a date: use YYYY-MM-DD, such as 2026-11-30.")
            }
        }
    }

    func run() throws {
        let session = try Session(global)
        try ChangelogRun.refuse(session, "strata history", instead: "`strata info` lists each changeset with its DATABASECHANGELOG row")
        let entries = try session.migrator(create: false, verifyingSums: false, readOnly: true).historyEntries().filter { entry in
            let day = String(entry.installedOn.prefix(10))
            return since.map { day >= $0 } ?? true && until.map { day <= $0 } ?? true && version.map { entry.version == $0 } ?? true
        }
        if output.json {
            try JSONOutput.print(entries.map { entry in
                Row(installedRank: entry.installedRank, version: entry.version?.text, description: entry.description, type: entry.type.rawValue,
                    script: entry.script, checksum: entry.checksum, installedBy: entry.installedBy, installedOn: entry.installedOn,
                    executionTimeMs: entry.executionTime, success: entry.success)
            })
            return
        }
        var table = TextTable("Rank", "Version", "Description", "Type", "By", "On", "Time", "Outcome")
        for entry in entries {
            table.add([String(entry.installedRank), MigrationLabels.version(entry.version),
                       MigrationLabels.description(entry.description, of: entry), entry.type.rawValue,
                       entry.installedBy, entry.installedOn, MigrationLabels.duration(entry.executionTime), entry.success ? "success" : "FAILED"])
        }
        Terminal.print(table.rendered)
    }
}
