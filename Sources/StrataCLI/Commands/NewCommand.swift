import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create the next migration file and print its path.")

    @Argument(help: "What the migration does, e.g. \"add users table\".")
    var description: String

    @Flag(name: .long, help: "Create a repeatable migration (R__…) instead of the next version.")
    var repeatable = false

    @Option(name: .long, help: ArgumentHelp("Comma-separated migration folders; the file goes in the first.", valueName: "folders"))
    var locations: String = "migrations"

    func run() throws {
        let words = description.split(whereSeparator: \.isWhitespace).joined(separator: "_")
        guard !words.isEmpty, !words.contains("/"), !words.contains("__") else {
            throw ConfigurationError("The description '\(description)' cannot be used in a file name: give words without '/' or '__'.")
        }
        let folders = locations.split(separator: ",").map { LocationReader.folderPath(of: String($0)) }
        let folder = folders.first ?? "migrations"
        let name: String
        if repeatable {
            name = "R__\(words).sql"
        } else {
            let existing = folders.allSatisfy { FileManager.default.fileExists(atPath: $0) }
                ? try LocationReader.read(locations: folders) : nil
            let highest = [existing?.versioned.last?.version, existing?.baselines.last?.version].compactMap { $0 }.max()
            name = "V\(highest?.nextMajor ?? "1")__\(words).sql"
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError("\(path) already exists; choose another description.")
        }
        try "-- \(description)\n".write(toFile: path, atomically: true, encoding: .utf8)
        Terminal.print(path)
    }
}
