import Synchronization

/// Where a migration's SQL is. A catalog read from files keeps none of their text, only each
/// file's checksum and what the text told (its layout directives, whether it mentions a
/// placeholder): `info`, `status` and a `migrate` with nothing to do never need the text, and
/// at 10,000 migrations it was about 2.5 MB of the process.
enum SQLSource: Sendable, Hashable {
    /// In memory: SQL given in code, or a file's text with its placeholders replaced.
    case text(String)
    /// The whole file (Flyway, golang-migrate, callbacks).
    case file
    /// The up (or down) block of a dbmate file.
    case dbmateBlock(up: Bool)
}

extension Migration {
    /// The SQL it runs; empty for a code migration.
    ///
    /// A migration read from a file reads it again, each time, and checks it against the
    /// checksum taken when the catalog was read, so what runs is what was planned and validated.
    /// - Throws: ``CatalogError`` naming the file when it can no longer be read or has changed
    ///   since the catalog was read.
    public var sql: String {
        get throws(CatalogError) {
            do throws(CatalogProblem) {
                return try readSQL()
            } catch {
                throw CatalogError(problems: [error])
            }
        }
    }

    private func readSQL() throws(CatalogProblem) -> String {
        let up: Bool
        switch source {
        case .text(let text): return text
        case .file: up = true
        case .dbmateBlock(let isUp): up = isUp
        }
        let key = LastRead.Key(file: file, source: source, checksum: checksum)
        if let text = LastRead.text.withLock({ $0?.key == key ? $0?.text : nil }) { return text }
        var (sql, now) = try SQLFile(script: script, folder: folder).contents()
        if case .dbmateBlock = source {
            guard let section = try? DbmateFile.sections(of: sql).first else { throw changed(now: nil) }
            sql = up ? section.up.text : section.down.text
            now = FlywayChecksum.of(sql.utf8)
        }
        guard now == checksum else { throw changed(now: now) }
        LastRead.text.withLock { $0 = (key, sql) }
        return sql
    }

    private func changed(now: Int32?) -> CatalogProblem {
        CatalogProblem(
            path: path,
            message: "the file changed after Strata read it (checksum \(checksum.map(String.init) ?? "none") then, \(now.map(String.init) ?? "no longer a dbmate migration") now), so it is not run; run the command again to plan with the new text")
    }
}

/// The text of the file read last, checked against its checksum: a step's checks (backfill
/// markers, safe rewrites, leftovers) and its run ask for the same text in a row, which would
/// otherwise be read from disk each time. One text at most, so the process never holds more.
private enum LastRead {
    struct Key: Equatable {
        let file: FileKey
        let source: SQLSource
        let checksum: Int32?
    }

    static let text = Mutex<(key: Key, text: String)?>(nil)
}
