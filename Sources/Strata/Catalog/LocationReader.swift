#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            var info = stat()
            guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw ConfigurationError(
                    "The migrations location '\(folder)' is not a folder that exists. Create it (`strata init` makes `migrations/` with a first migration) or point --locations at your migrations.")
            }
            visitFiles(below: folder) { script, fileName, directory in
                let path = folder == "." ? script : folder + "/" + script
                switch FlywayFileName.classify(fileName) {
                case .unrelated:
                    return
                case .malformed(let reason):
                    problems.append(CatalogProblem(path: path, message: "this is not a valid migration file name: \(reason)"))
                case .migration(let name):
                    do throws(CatalogProblem) {
                        migrations.append(try load(name, script: script, path: path, in: directory, fileName: fileName))
                    } catch {
                        problems.append(error)
                    }
                }
            }
        }
        let (catalog, duplicates) = Catalog.checking(migrations)
        problems.sort { $0.path < $1.path }
        problems += duplicates
        guard problems.isEmpty else { throw CatalogError(problems: problems) }
        return catalog
    }

    public static func folderPath(of location: String) -> String {
        let prefix = "filesystem:"
        let folder = location.hasPrefix(prefix) ? String(location.dropFirst(prefix.count)) : location
        return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    }

    /// Calls `body` with every regular file below a folder (following symbolic links): its
    /// path relative to the folder, its name, and its open directory, from which it is read
    /// with `openat`. Plain `readdir`: Foundation's enumerator costs a `stat` and an attribute
    /// dictionary per file, which dominated `strata info` on a thousand files.
    private static func visitFiles(below folder: String, _ body: (_ relative: String, _ name: String, _ directory: Int32) -> Void) {
        var pending = [""]
        while let relative = pending.popLast() {
            guard let stream = opendir(relative.isEmpty ? folder : folder + "/" + relative) else { continue }
            defer { closedir(stream) }
            let directory = dirfd(stream)
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type != Int32(DT_REG) && type != Int32(DT_DIR) {
                    var info = stat()
                    guard fstatat(directory, name, &info, 0) == 0 else { continue }
                    type = info.st_mode & S_IFMT == S_IFDIR ? Int32(DT_DIR) : info.st_mode & S_IFMT == S_IFREG ? Int32(DT_REG) : type
                }
                if type == Int32(DT_DIR) {
                    pending.append(path)
                } else if type == Int32(DT_REG) {
                    body(path, name, directory)
                }
            }
        }
    }

    private static func load(
        _ name: FlywayFileName, script: String, path: String, in directory: Int32, fileName: String
    ) throws(CatalogProblem) -> Migration {
        guard let bytes = readFile(fileName, in: directory) else {
            throw CatalogProblem(path: path, message: "the file cannot be read; check its permissions")
        }
        guard var sql = String(validating: bytes, as: UTF8.self) else {
            let offset = SQLText.firstInvalidUTF8Offset(in: bytes) ?? 0
            throw CatalogProblem(
                path: path,
                message: "the file is not valid UTF-8 at byte offset \(offset) (line \(SQLText.line(ofOffset: offset, in: bytes))); save it as UTF-8")
        }
        if sql.hasPrefix("\u{FEFF}") { sql.removeFirst() }
        return Migration(
            kind: name.kind, version: name.version, description: name.description, script: script,
            path: path, checksum: FlywayChecksum.of(bytes), sql: sql)
    }

    private static func readFile(_ name: String, in directory: Int32) -> [UInt8]? {
        let descriptor = openat(directory, name, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            guard count > 0 else { return count == 0 ? Array(bytes[0..<filled]) : nil }
            filled += count
        }
        return bytes
    }
}

extension CatalogProblem: Error {}

/// `read(2)`, named apart from ``LocationReader/read(locations:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
