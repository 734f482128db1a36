import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataKit
import StrataSchema

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
        "PostgreSQL: write an expand migration (new column kept in sync by a trigger, backfilled), one that builds its indexes, and a contract one (old column and trigger dropped) that rename a column.",
        valueName: "table.column:new_column"))
    var renameColumn: String?

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL: the same for a new type, through a new column of that type.", valueName: "table.column:new_column:type"))
    var changeType: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --rename-column or --change-type: where the old column's default, NOT NULL, constraints and indexes are read, for the new column to carry them: migrations (the default: the locations replayed on a scratch database of --dev-url's PostgreSQL server, else the configured url's), database (the configured url), or none.",
        valueName: "source"))
    var definitionFrom: DefinitionSource = .migrations

    @Option(name: .long, help: ArgumentHelp(
        "The PostgreSQL server the migrations are replayed on (a temporary database is made there and dropped).", valueName: "url"))
    var devURL: String?

    @OptionGroup var global: GlobalOptions

    /// Where the replaced column's definition is read.
    enum DefinitionSource: String, ExpressibleByArgument, CaseIterable {
        case migrations, database, none
    }

    func validate() throws {
        if [renameColumn != nil, changeType != nil, repeatable].filter({ $0 }).count > 1 {
            throw ValidationError("Give one of --rename-column, --change-type and --repeatable.")
        }
    }

    func run() throws {
        let settings = try global.settings()
        let folders = settings.list("locations").map(LocationReader.folderPath)
        let folder = folders.first ?? "migrations"
        let existing = folders.allSatisfy { FileManager.default.fileExists(atPath: $0) }
            ? try LocationReader.read(locations: folders, layout: try settings.layout()) : nil
        let highest = [existing?.versioned.last?.version, existing?.baselines.last?.version].compactMap { $0 }.max()
        let layout = try MigrationFolder.layout(of: folder, configured: try settings.layout())
        let names = MigrationFolder.fileNames(in: folder), timestamp = MigrationFolder.timestamp()
        var files: [NewMigrationFiles.File]
        if let text = renameColumn ?? changeType {
            // Expand, index builds, contract: each at the version after the one before.
            let replacement = try carried(try readReplacement(text), settings: settings, folders: folders)
            let style = VersionStyle.of(layout, existingNames: names, timestamp: timestamp)
            var previous = highest
            files = []
            for migration in replacement.migrations {
                files += try NewMigrationFiles.files(layout: layout, description: description + migration.suffix, repeatable: false,
                                                     highestVersion: previous, existingNames: names, timestamp: timestamp,
                                                     up: migration.up, down: migration.down, irreversible: migration.irreversible)
                previous = MigrationVersion(style.next(after: previous, timestamp: timestamp))
            }
        } else {
            files = try NewMigrationFiles.files(layout: layout, description: description, repeatable: repeatable, highestVersion: highest,
                                                existingNames: names, timestamp: timestamp)
        }
        try MigrationFolder.write(files, into: folder)
        if MigrationSum.exists(in: folder) { try MigrationSum.write(folder: folder) }
    }

    private func readReplacement(_ text: String) throws -> ColumnReplacement {
        do {
            return try ColumnReplacement(parsing: text, requiringType: changeType != nil)
        } catch {
            throw ConfigurationError(error.description)
        }
    }

    /// The replacement with the old column's definition, read from `--definition-from`; without
    /// a PostgreSQL server to replay the migrations on, the files say what they do not carry.
    /// Only what the source needs is read: `none` reads no URL, `--dev-url` stands for the
    /// configured one.
    private func carried(_ replacement: ColumnReplacement, settings: Settings, folders: [String]) throws -> ColumnReplacement {
        var replacement = replacement
        if definitionFrom == .none {
            replacement.notCarriedBecause = "--definition-from none was given"
            return replacement
        }
        let configuration = try settings.configuration()
        if definitionFrom == .database {
            let url = try configuration.databaseURL()
            guard case .postgres = url else {
                throw ConfigurationError("--definition-from database reads \(replacement.table).\(replacement.oldColumn) from the configured database, but \(url.display) is not a PostgreSQL one: give --url postgresql://….")
            }
            return try configuration.carrying(replacement, from: .database(url))
        }
        if let devURL {
            let server = try DatabaseURL(parsing: devURL)
            guard case .postgres = server else {
                throw ConfigurationError("--dev-url \(server.display) is not a PostgreSQL server, and the migrations are replayed on a scratch database of one to read \(replacement.table).\(replacement.oldColumn)'s definition: give --dev-url postgresql://…, or --definition-from none.")
            }
            return try configuration.carrying(replacement, from: .migrations(folders: folders, server: server))
        }
        let url = try configuration.databaseURL()
        guard case .postgres = url else {
            replacement.notCarriedBecause = "no PostgreSQL server was given to replay the migrations on (--dev-url, --url or the configuration's url)"
            Terminal.error("note: \(replacement.oldColumn)'s default, NOT NULL, constraints and indexes are not carried: \(replacement.notCarriedBecause); the expand file says so.")
            return replacement
        }
        return try configuration.carrying(replacement, from: .migrations(folders: folders, server: url))
    }
}
