import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create migrations/ with a first example migration.")

    @Option(name: .long, help: ArgumentHelp("The folder to create.", valueName: "folder"))
    var locations: String = "migrations"

    func run() throws {
        let folder = LocationReader.folderPath(of: locations.split(separator: ",").first.map(String.init) ?? "migrations")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard !files.contains(where: { $0.hasSuffix(".sql") }) else {
            throw ConfigurationError("\(folder)/ already holds migrations; `strata init` only starts a new project. Use `strata new <description>` to add one.")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/V1__create_example_table.sql"
        try Self.example.write(toFile: path, atomically: true, encoding: .utf8)
        Terminal.print("Created \(path)")
        Terminal.print("Edit it, then run `strata migrate` to apply it to sqlite:strata.db (or pass --url).")
    }

    static let example = """
        -- A first migration. Each file runs once, in one transaction, in version order.
        -- Add the next one with `strata new "describe the change"`.
        CREATE TABLE example (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        );

        """
}
