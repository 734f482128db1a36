import ArgumentParser
import Strata

/// `strata hash`: writes `strata.sum` in each location, after adding or editing a migration.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Write strata.sum in each location: a hash per migration file and one over the folder, so that concurrent additions conflict in git.")

    @OptionGroup var source: SourceOptions

    func run() throws {
        for location in try source.settings().list("locations") {
            Terminal.print(try MigrationSum.write(folder: LocationReader.folderPath(of: location)))
        }
    }
}
