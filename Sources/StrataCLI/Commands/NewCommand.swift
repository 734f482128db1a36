import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// `strata new`: the next migration file, in the first location and in its layout.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create the next migration file (in the first location, in its layout) and print its path.")

    @Argument(help: "What the migration does, e.g. \"add users table\".")
    var description: String

    @Flag(name: .long, help: "Create a repeatable migration (R__…, Flyway layout) instead of the next version.")
    var repeatable = false

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL: write an expand migration (new column kept in sync by a trigger, backfilled) and a contract one (old column and trigger dropped) that rename a column.",
        valueName: "table.column:new_column"))
    var renameColumn: String?

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL: the same for a new type, through a new column of that type.", valueName: "table.column:new_column:type"))
    var changeType: String?

    @OptionGroup var source: SourceOptions

    func validate() throws {
        if [renameColumn != nil, changeType != nil, repeatable].filter({ $0 }).count > 1 {
            throw ValidationError("Give one of --rename-column, --change-type and --repeatable.")
        }
    }

    func run() throws {
        let settings = try source.settings()
        let folders = settings.list("locations").map(LocationReader.folderPath)
        let folder = folders.first ?? "migrations"
        let existing = folders.allSatisfy { FileManager.default.fileExists(atPath: $0) }
            ? try LocationReader.read(locations: folders, layout: try settings.layout()) : nil
        let highest = [existing?.versioned.last?.version, existing?.baselines.last?.version].compactMap { $0 }.max()
        let layout = try MigrationFolder.layout(of: folder, configured: try settings.layout())
        let names = MigrationFolder.fileNames(in: folder), timestamp = MigrationFolder.timestamp()
        var files: [NewMigrationFiles.File]
        if let text = renameColumn ?? changeType {
            // Two migrations: expand at the next version, contract at the one after it.
            let replacement = try ColumnReplacement(parsing: text, requiringType: changeType != nil)
            let expandVersion = VersionStyle.of(layout, existingNames: names, timestamp: timestamp).next(after: highest, timestamp: timestamp)
            files = try NewMigrationFiles.files(layout: layout, description: description, repeatable: false, highestVersion: highest,
                                                existingNames: names, timestamp: timestamp, up: replacement.expand)
            files += try NewMigrationFiles.files(layout: layout, description: description + " contract", repeatable: false,
                                                 highestVersion: MigrationVersion(expandVersion), existingNames: names,
                                                 timestamp: timestamp, up: replacement.contract)
        } else {
            files = try NewMigrationFiles.files(layout: layout, description: description, repeatable: repeatable, highestVersion: highest,
                                                existingNames: names, timestamp: timestamp)
        }
        try MigrationFolder.write(files, into: folder)
        if MigrationSum.exists(in: folder) { try MigrationSum.write(folder: folder) }
    }
}
