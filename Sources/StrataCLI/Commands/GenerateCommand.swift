import ArgumentParser
import Strata
import StrataKit
import StrataSchema

/// `strata generate`: the next migration, and its undo, from the migrations' schema to a
/// desired one (Alembic's autogenerate).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the next migration (and its undo) that takes the migrations' schema to the desired one.")

    @Argument(help: "What the migration does, e.g. \"add isbn to books\".")
    var description: String

    @Option(name: .long, help: ArgumentHelp("The desired schema: a .sql file, a migrations folder or a database URL.", valueName: "source"))
    var schema: String

    @OptionGroup var schemaOptions: SchemaComparisonOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try Session(global)
        let configuration = session.configuration
        let desired = try SchemaSource(parsing: schema)
        let server = try schemaOptions.scratchServer(configuration, sides: [desired])
        let folders = session.settings.list("locations").map(LocationReader.folderPath)
        let difference = try schemaOptions.difference(
            from: try configuration.schema(of: .migrations(folders: folders), scratchServer: server),
            to: try configuration.schema(of: desired, scratchServer: server), flavor: server.flavor)
        guard !difference.isEmpty else {
            Terminal.print("Nothing to generate: the migrations already produce that schema.")
            return
        }
        for rename in difference.possibleRenames {
            Terminal.error("note: \(rename) may be a rename, which this migration writes as a drop and an add (losing the values); pass --rename \(rename.table).\(rename.from):\(rename.to) to keep them")
        }
        let up = try SchemaComparisonOptions.text(of: difference)
        let down = try difference.inverse.map { try SchemaComparisonOptions.text(of: $0) }
        let irreversible = down == nil ? "a change in it cannot be reversed (an enum value cannot be removed)" : nil
        if let irreversible {
            Terminal.error("note: no undo was written: \(irreversible).")
        }
        guard let folder = folders.first else { throw ConfigurationError("No location to write the migration into; set --locations.") }
        let catalog = try configuration.readCatalog()
        let highest = [catalog.versioned.last?.version, catalog.baselines.last?.version].compactMap { $0 }.max()
        let files = try NewMigrationFiles.files(
            layout: try MigrationFolder.layout(of: folder, configured: try session.settings.layout()), description: description,
            repeatable: false, highestVersion: highest, existingNames: MigrationFolder.fileNames(in: folder),
            timestamp: MigrationFolder.timestamp(), up: up, down: down, irreversible: irreversible)
        try MigrationFolder.write(files, into: folder)
        if MigrationSum.exists(in: folder) { try MigrationSum.write(folder: folder) }
    }
}
