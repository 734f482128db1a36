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
import StrataDigests

/// `strata.sum`: a hash of every migration file in a folder, and a hash over all of them on its
/// first line. Two branches that each add a migration both change that first line, so their
/// merge conflicts in git instead of in production; and a file edited after it was hashed is
/// caught before it runs.
///
/// ```text
/// h1:Yt0Vb1pPzR1G0lqHr3O2bQ0p2wE8x7b4lqV2bN3c1sA=
/// V1__create_books.sql h1:9e7X2…
/// V2__add_isbn.sql h1:Qm1p0…
/// ```
public struct MigrationSum: Sendable, Equatable {
    /// The file's name in each migration folder.
    public static let fileName = "strata.sum"

    /// One file's line: its path and hash.
    public struct Entry: Sendable, Equatable {
        /// The file's path below the folder, with `/` separators.
        public let path: String
        /// `h1:` and the base64 SHA-256 of the file's bytes.
        public let hash: String
    }

    /// In path order.
    public let entries: [Entry]
    /// The first line: `h1:` and the base64 SHA-256 of every entry's line, so it changes with any file.
    public let folderHash: String

    /// The sum of files given as (path below the folder, contents).
    public init(files: [(path: String, bytes: [UInt8])]) {
        let entries = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            .map { Entry(path: $0.path, hash: Self.hash($0.bytes)) }
        self.init(entries: entries)
    }

    private init(entries: [Entry]) {
        self.entries = entries
        self.folderHash = Self.hash(Array(Self.lines(entries).utf8))
    }

    private static func hash(_ bytes: [UInt8]) -> String {
        "h1:" + Base64.encode(SHA256.digest(bytes))
    }

    private static func lines(_ entries: [Entry]) -> String {
        entries.map { "\($0.path) \($0.hash)\n" }.joined()
    }

    /// The file's text.
    public var text: String {
        folderHash + "\n" + Self.lines(entries)
    }

    /// Reads a `strata.sum`; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(CatalogError) -> (sum: MigrationSum, statedFolderHash: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, first.hasPrefix("h1:"), !first.contains(" ") else {
            throw CatalogError(problems: [CatalogProblem(path: path, message: "line 1 is not a folder hash (`h1:…`); run `strata hash` to write the file again")])
        }
        var entries: [Entry] = []
        for (index, line) in lines.enumerated().dropFirst() {
            guard let space = line.lastIndex(of: " "), line[line.index(after: space)...].hasPrefix("h1:") else {
                throw CatalogError(problems: [CatalogProblem(
                    path: path, message: "line \(index + 1) is not `<file> h1:<hash>`; resolve the merge conflict or run `strata hash` to write the file again")])
            }
            entries.append(Entry(path: String(line[..<space]), hash: String(line[line.index(after: space)...])))
        }
        return (MigrationSum(entries: entries), first)
    }

    /// What differs between this sum (as written) and `current` (the files now), one problem
    /// per file, each saying what to do.
    public func problems(comparedWith current: MigrationSum, statedFolderHash: String, sumPath: String, folder: String) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        if statedFolderHash != folderHash {
            problems.append(CatalogProblem(
                path: sumPath, message: "its first line does not match the files it lists (edited by hand, or a merge left both sides); check the folder, then run `strata hash`"))
        }
        let now = Dictionary(current.entries.map { ($0.path, $0.hash) }, uniquingKeysWith: { first, _ in first })
        let listed = Dictionary(entries.map { ($0.path, $0.hash) }, uniquingKeysWith: { first, _ in first })
        for entry in entries {
            let file = folder + "/" + entry.path
            guard let hash = now[entry.path] else {
                problems.append(CatalogProblem(path: file, message: "is listed in \(Self.fileName) but is gone; restore it, or run `strata hash` if it was removed on purpose"))
                continue
            }
            if hash != entry.hash {
                problems.append(CatalogProblem(path: file, message: "changed since \(Self.fileName) was written; an applied migration must not change (add a new one instead), and a new one needs `strata hash` after editing"))
            }
        }
        for entry in current.entries where listed[entry.path] == nil {
            problems.append(CatalogProblem(path: folder + "/" + entry.path, message: "is not in \(Self.fileName); run `strata hash` after adding a migration, so that branches adding migrations at once conflict in git"))
        }
        return problems
    }
}

/// Reading and writing `strata.sum` in a migrations folder.
extension MigrationSum {
    /// The sum of a folder's `.sql` files as they are now.
    public static func current(folder: String) -> MigrationSum {
        let paths = ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".sql") }
        return MigrationSum(files: paths.map { path in
            (path, (FileManager.default.contents(atPath: folder + "/" + path)).map { Array($0) } ?? [])
        })
    }

    /// Whether the folder keeps a `strata.sum`.
    public static func exists(in folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/" + fileName)
    }

    /// Writes the folder's `strata.sum` anew; returns its path.
    @discardableResult
    public static func write(folder: String) throws -> String {
        let path = folder + "/" + fileName
        try current(folder: folder).text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Refuses a folder whose files do not match its `strata.sum`, naming each file; a folder
    /// without one is not checked.
    public static func verify(folder: String) throws(CatalogError) {
        let path = folder + "/" + fileName
        // Most folders have none, and FileManager answers a missing file by building and dropping
        // an error with a URL in it: the URL parser's code would be paged in on every run.
        guard access(path, F_OK) == 0, let data = FileManager.default.contents(atPath: path) else { return }
        let (written, stated) = try parse(String(decoding: data, as: UTF8.self), path: path)
        let problems = written.problems(comparedWith: current(folder: folder), statedFolderHash: stated, sumPath: path, folder: folder)
        guard problems.isEmpty else { throw CatalogError(problems: problems) }
    }
}
