import Foundation

/// Reads Flyway-style migration files from folders (recursively) into a ``Catalog``.
///
/// All problems are collected before anything is returned, so a user fixes every bad file in
/// one go and nothing runs while any file is wrong.
public enum LocationReader {
    /// - Parameter locations: folders, relative to the working directory or absolute; a Flyway
    ///   `filesystem:` prefix is accepted.
    public static func read(locations: [String]) throws -> Catalog {
        var migrations: [Migration] = []
        var problems: [CatalogProblem] = []
        for location in locations {
            let folder = folderPath(of: location)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(
                    "The migrations location '\(folder)' is not a folder that exists. Create it (`strata init` makes `migrations/` with a first migration) or point --locations at your migrations.")
            }
            for script in filesBelow(folder) {
                let fileName = (script as NSString).lastPathComponent
                let path = folder == "." ? script : (folder as NSString).appendingPathComponent(script)
                switch FlywayFileName.classify(fileName) {
                case .unrelated:
                    continue
                case .malformed(let reason):
                    problems.append(CatalogProblem(path: path, message: "this is not a valid migration file name: \(reason)"))
                case .migration(let name):
                    do {
                        migrations.append(try load(name, script: script, path: path))
                    } catch {
                        problems.append(error)
                    }
                }
            }
        }
        problems += Catalog.duplicateProblems(in: migrations)
        guard problems.isEmpty else { throw CatalogError(problems: problems) }
        return try Catalog(migrations)
    }

    public static func folderPath(of location: String) -> String {
        let prefix = "filesystem:"
        let folder = location.hasPrefix(prefix) ? String(location.dropFirst(prefix.count)) : location
        return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    }

    /// Every regular file below a folder, as paths relative to it, in a stable order.
    private static func filesBelow(_ folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if let type = enumerator.fileAttributes?[.type] as? FileAttributeType, type == .typeRegular {
                files.append(relative)
            } else if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeSymbolicLink {
                var isDirectory: ObjCBool = false
                let full = (folder as NSString).appendingPathComponent(relative)
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(relative)
                }
            }
        }
        return files.sorted()
    }

    private static func load(_ name: FlywayFileName, script: String, path: String) throws(CatalogProblem) -> Migration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogProblem(path: path, message: "the file cannot be read; check its permissions")
        }
        let bytes = [UInt8](data)
        if let offset = SQLText.firstInvalidUTF8Offset(in: bytes) {
            throw CatalogProblem(
                path: path,
                message: "the file is not valid UTF-8 at byte offset \(offset) (line \(SQLText.line(ofOffset: offset, in: bytes))); save it as UTF-8")
        }
        var sql = String(decoding: bytes, as: UTF8.self)
        if sql.hasPrefix("\u{FEFF}") { sql.removeFirst() }
        return Migration(
            kind: name.kind, version: name.version, description: name.description, script: script,
            path: path, checksum: FlywayChecksum.of(bytes), sql: sql)
    }
}

extension CatalogProblem: Error {}
