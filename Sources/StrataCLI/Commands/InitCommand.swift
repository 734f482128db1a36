import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// `strata init`: the first location with an example migration, in the configured layout.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the migrations folder (the first location) with a first example migration.")

    @OptionGroup var source: SourceOptions

    func run() throws {
        let settings = try source.settings()
        let folder = settings.list("locations").first.map(LocationReader.folderPath) ?? "migrations"
        guard !MigrationFolder.fileNames(in: folder).contains(where: { $0.hasSuffix(".sql") }) else {
            throw ConfigurationError("\(folder)/ already holds migrations; `strata init` only starts a new project. Use `strata new <description>` to add one.")
        }
        let files = try NewMigrationFiles.files(
            layout: try settings.layout() ?? .flyway, description: "create example table", repeatable: false, highestVersion: nil,
            existingNames: [], timestamp: MigrationFolder.timestamp(), up: Self.example, down: "DROP TABLE example;\n")
        try MigrationFolder.write(files, into: folder)
        Terminal.print("Edit it, then run `strata migrate` to apply it to \(PasswordMask.conninfo(settings.string("url") ?? DatabaseURL.defaultURL)).")
    }

    static let example = """
        -- A first migration. Each one runs once, in one transaction, in version order.
        -- Add the next one with `strata new "describe the change"`.
        CREATE TABLE example (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        );

        """
}
