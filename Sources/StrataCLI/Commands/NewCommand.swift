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

    @OptionGroup var source: SourceOptions

    func run() throws {
        let settings = try source.settings()
        let folders = settings.list("locations").map(LocationReader.folderPath)
        let folder = folders.first ?? "migrations"
        let existing = folders.allSatisfy { FileManager.default.fileExists(atPath: $0) }
            ? try LocationReader.read(locations: folders, layout: try settings.layout()) : nil
        let highest = [existing?.versioned.last?.version, existing?.baselines.last?.version].compactMap { $0 }.max()
        let files = try NewMigrationFiles.files(
            layout: try MigrationFolder.layout(of: folder, configured: try settings.layout()), description: description,
            repeatable: repeatable, highestVersion: highest, existingNames: MigrationFolder.fileNames(in: folder),
            timestamp: MigrationFolder.timestamp())
        try MigrationFolder.write(files, into: folder)
        if MigrationSum.exists(in: folder) { try MigrationSum.write(folder: folder) }
    }
}
