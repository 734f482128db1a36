#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataKit

/// The folder `init` and `new` write into: its layout, its files, and the writing itself.
enum MigrationFolder {
    /// The configured layout, else the one its files show, else Flyway's.
    static func layout(of folder: String, configured: MigrationLayout?) throws -> MigrationLayout {
        if let configured { return configured }
        let names = fileNames(in: folder)
        return try MigrationLayout.detect(fileNames: names) { index in
            try? String(contentsOfFile: folder + "/" + names[index], encoding: .utf8)
        }
    }

    static func fileNames(in folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }

    /// Writes each file, refusing to replace one, and prints its path.
    static func write(_ files: [NewMigrationFiles.File], into folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files {
            let path = folder + "/" + file.name
            guard !FileManager.default.fileExists(atPath: path) else {
                throw ConfigurationError("\(path) already exists; choose another description.")
            }
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            Terminal.print(path)
        }
    }

    /// The current UTC time as `yyyyMMddHHmmss`, the version of time-stamped layouts.
    static func timestamp() -> String {
        StrataConfiguration.utcNow(format: "%Y%m%d%H%M%S")
    }
}
