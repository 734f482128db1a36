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

/// Reads migration files from folders (recursively) into a ``Catalog``, in any
/// ``MigrationLayout``: detected per location unless one is given.
///
/// All problems are collected before anything is returned, so a user fixes every bad file in
/// one go and nothing runs while any file is wrong.
public enum LocationReader {
    /// The migrations and callbacks of every location, as one catalog.
    ///
    /// ```swift
    /// let catalog = try LocationReader.read(locations: ["migrations", "filesystem:db/seeds"])
    /// for migration in catalog.versioned {
    ///     print(migration.version!, migration.description)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - locations: folders, relative to the working directory or absolute; a Flyway
    ///     `filesystem:` prefix is accepted.
    ///   - layout: the layout of every location, or nil to detect each one's from its files.
    /// - Throws: ``ConfigurationError`` for a location that is not a folder; ``CatalogError``
    ///   listing every bad file name, unreadable or non-UTF-8 file, malformed dbmate file and
    ///   duplicate version.
    public static func read(locations: [String], layout: MigrationLayout? = nil) throws -> Catalog {
        var reader = Reading()
        for location in locations {
            let folder = folderPath(of: location)
            var info = stat()
            guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw ConfigurationError(
                    "The migrations location '\(folder)' is not a folder that exists. Create it (`strata init` makes `migrations/` with a first migration) or point --locations at your migrations.")
            }
            let files = sqlFiles(below: folder)
            let chosen: MigrationLayout
            if let layout {
                chosen = layout
            } else {
                do throws(LayoutDetectionError) {
                    chosen = try MigrationLayout.detect(fileNames: files.map(\.name)) { try? files[$0].text() }
                } catch {
                    reader.problems += error.problems(paths: files.map(\.path), folder: folder)
                    continue
                }
            }
            switch chosen {
            case .flyway: reader.readFlyway(files)
            case .golangMigrate: reader.readGolangMigrate(files)
            case .dbmate: reader.readDbmate(files)
            }
            reader.readCallbacks(files)
        }
        let (catalog, duplicates) = Catalog.checking(reader.migrations)
        let problems = reader.problems.sorted { $0.path < $1.path } + duplicates
        guard problems.isEmpty else { throw CatalogError(problems: problems) }
        return catalog
    }

    package static func folderPath(of location: String) -> String {
        let prefix = "filesystem:"
        let folder = location.hasPrefix(prefix) ? String(location.dropFirst(prefix.count)) : location
        return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    }

    /// Every `.sql` file below a folder (following symbolic links), unread: the readers read one
    /// file at a time and keep what they need of it. Plain `readdir`: Foundation's enumerator
    /// costs a `stat` and an attribute dictionary per file, which dominated `strata info` on a
    /// thousand files.
    static func sqlFiles(below folder: String) -> [SQLFile] {
        var files: [SQLFile] = []
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
                let shownFolder = folder == "." ? "" : folder
                var type = Int32(entry.pointee.d_type)
                if type != Int32(DT_REG) && type != Int32(DT_DIR) {
                    var info = stat()
                    guard fstatat(directory, name, &info, 0) == 0 else {
                        if name.hasSuffix(".sql") {
                            files.append(SQLFile(script: path, name: name, folder: shownFolder, unreadable: brokenLink(name, in: directory)))
                        }
                        continue
                    }
                    type = info.st_mode & S_IFMT == S_IFDIR ? Int32(DT_DIR) : info.st_mode & S_IFMT == S_IFREG ? Int32(DT_REG) : type
                }
                if type == Int32(DT_DIR) {
                    pending.append(path)
                } else if type == Int32(DT_REG) && name.hasSuffix(".sql") {
                    files.append(SQLFile(script: path, name: name, folder: shownFolder))
                }
            }
        }
        return files
    }

    /// Why an entry that `stat` cannot follow is unreadable: a symbolic link to nothing (or to
    /// itself), which would otherwise be skipped without a word.
    private static func brokenLink(_ name: String, in directory: Int32) -> String {
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlinkat(directory, name, &target, target.count - 1)
        guard length >= 0 else { return "the file cannot be examined; check its permissions" }
        let destination = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "it is a symbolic link to '\(destination)', which does not exist (or links back to itself); point the link at the migration file or remove it"
    }
}

/// A `.sql` file found below a location, read when its text is asked for.
struct SQLFile {
    /// The path relative to its location: the history's `script`.
    let script: String
    let name: String
    /// The location's folder as given, empty for the working directory.
    let folder: String
    /// Why the file cannot be read, when that is known from listing it (a broken link).
    let unreadable: String?

    init(script: String, name: String, folder: String, unreadable: String? = nil) {
        self.script = script
        self.name = name
        self.folder = folder
        self.unreadable = unreadable
    }

    /// A migration's file, to read its text again.
    init(script: String, folder: String) {
        self.init(script: script, name: "", folder: folder)
    }

    /// The path as found, for messages.
    var path: String { folder.isEmpty ? script : folder + "/" + script }

    /// The file as text, without a byte-order mark.
    /// - Throws: when it cannot be read, is not UTF-8, or holds a NUL byte, at which both engines
    ///   stop reading a script and would skip the rest of it without a word.
    func text() throws(CatalogProblem) -> String {
        try contents().text
    }

    /// The file as text (see ``text()``) and Flyway's checksum of its bytes.
    func contents() throws(CatalogProblem) -> (text: String, checksum: Int32) {
        if let unreadable { throw CatalogProblem(path: path, message: unreadable) }
        guard let bytes = Self.read(path) else {
            let message = errno == ENOENT
                ? "the file no longer exists (it was moved or deleted after Strata listed it); restore it, or run the command again"
                : "the file cannot be read; check its permissions"
            throw CatalogProblem(path: path, message: message)
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let offset = SQLText.firstInvalidUTF8Offset(in: bytes) ?? 0
            throw CatalogProblem(
                path: path,
                message: "the file is not valid UTF-8 at byte offset \(offset) (line \(SQLText.line(ofOffset: offset, in: bytes))); save it as UTF-8")
        }
        if let offset = bytes.firstIndex(of: 0) {
            throw CatalogProblem(
                path: path,
                message: "line \(SQLText.line(ofOffset: offset, in: bytes)) holds a NUL byte (byte offset \(offset)), where SQLite and PostgreSQL stop reading a script, so everything after it would be skipped; remove it (the file may have been saved as UTF-16 or as binary)")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return (text, FlywayChecksum.of(bytes))
    }

    private static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
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

/// The migrations and problems found so far, one layout reader per location.
private struct Reading {
    var migrations: [Migration] = []
    var problems: [CatalogProblem] = []

    mutating func readFlyway(_ files: [SQLFile]) {
        for file in files {
            switch FlywayFileName.classify(file.name) {
            case .unrelated:
                continue
            case .malformed(let reason):
                problems.append(CatalogProblem(path: file.path, message: "this is not a valid migration file name: \(reason)"))
            case .migration(let name):
                add(file) { sql, checksum in
                    [Migration(kind: name.kind, version: name.version, description: name.description, script: file.script,
                               folder: file.folder, checksum: checksum, source: .file, mentionsPlaceholders: SQLText.containsPlaceholder(sql),
                           directives: ScriptDirectives().declaringPhase(of: sql))]
                }
            }
        }
    }

    mutating func readGolangMigrate(_ files: [SQLFile]) {
        for file in files {
            guard let name = GolangMigrateFileName.parse(file.name) else { continue }
            add(file) { sql, checksum in
                [Migration(kind: name.direction == .up ? .versioned : .undo, version: name.version,
                           description: String(name.identifier.map { $0 == "_" ? " " : $0 }), script: file.script, folder: file.folder,
                           checksum: checksum, source: .file, mentionsPlaceholders: SQLText.containsPlaceholder(sql),
                           directives: ScriptDirectives().declaringPhase(of: sql))]
            }
        }
    }

    mutating func readDbmate(_ files: [SQLFile]) {
        for file in files {
            guard let versionText = DbmateFile.version(of: file.name), let version = MigrationVersion(versionText) else { continue }
            add(file) { sql, _ throws(CatalogProblem) in
                let sections: [DbmateFile.Section]
                do throws(DbmateFile.ParseError) {
                    sections = try DbmateFile.sections(of: sql)
                } catch {
                    throw CatalogProblem(path: file.path, message: "line \(error.line): \(error.message)")
                }
                guard let section = sections.first, sections.count == 1 else {
                    throw CatalogProblem(
                        path: file.path,
                        message: "line \(sections[1].up.line): a second `-- migrate:up` section; Strata reads one up and one down block per dbmate file, so split it into two migrations")
                }
                let description = DbmateFile.description(of: file.name)
                func migration(_ kind: Migration.Kind, _ block: DbmateFile.Block) -> Migration {
                    Migration(kind: kind, version: version, description: description, script: file.script, folder: file.folder,
                              checksum: FlywayChecksum.of(block.text.utf8), source: .dbmateBlock(up: kind == .versioned),
                              mentionsPlaceholders: SQLText.containsPlaceholder(block.text),
                              directives: ScriptDirectives(transaction: block.transaction ? nil : false).declaringPhase(of: block.text))
                }
                return [migration(.versioned, section.up), migration(.undo, section.down)]
            }
        }
    }

    /// Callback files, in any layout: `<event>.sql` and `<event>__<description>.sql`.
    mutating func readCallbacks(_ files: [SQLFile]) {
        for file in files {
            guard let (event, description) = CallbackEvent.parse(fileName: file.name) else { continue }
            add(file) { sql, checksum in
                [Migration(kind: .callback, version: nil, description: event.rawValue + (description.isEmpty ? "" : " \(description)"),
                           script: file.script, folder: file.folder, checksum: checksum, source: .file,
                           mentionsPlaceholders: SQLText.containsPlaceholder(sql), directives: ScriptDirectives().declaringPhase(of: sql))]
            }
        }
    }

    /// Reads and decodes a file and adds what `build` makes of its text and checksum, or the
    /// problem. The text is not kept: the migrations read their file again when they run.
    private mutating func add(_ file: SQLFile, _ build: (String, Int32) throws(CatalogProblem) -> [Migration]) {
        do throws(CatalogProblem) {
            let (text, checksum) = try file.contents()
            migrations += try build(text, checksum)
        } catch {
            problems.append(error)
        }
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
