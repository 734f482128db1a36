import StrataLiquibase

/// Which changesets a rollback undoes.
public enum ChangeLogRollbackRequest: Sendable, Equatable {
    /// The newest N.
    case count(Int)
    /// Everything applied after the newest row carrying the tag.
    case tag(String)
    /// Everything applied after this time (as the engine writes `DATEEXECUTED`: `2026-01-31 12:00:00`).
    case date(String)
}

/// Chooses the rows a rollback undoes, newest first, as Liquibase's rollback commands do. Pure.
public enum RollbackSelection {
    /// - Parameter rows: `DATABASECHANGELOG` in Liquibase's order (oldest first).
    /// - Parameter leftOut: changesets the run's contexts, labels or database leave out: as in
    ///   Liquibase, they are not rolled back, nor counted by `count`; a tag or date still counts
    ///   their rows in finding where to stop.
    /// - Throws: ``ChangeLogRollbackError`` for a tag no row carries, or a date not written
    ///   `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (it is compared as text with `DATEEXECUTED`, so any
    ///   other spelling would choose the wrong rows without a word).
    public static func rows(_ rows: [ChangeLogRow], for request: ChangeLogRollbackRequest,
                            leavingOut leftOut: Set<ChangeSetIdentity> = []) throws(ChangeLogRollbackError) -> [ChangeLogRow] {
        try chosen(rows, for: request, leavingOut: leftOut).filter { !leftOut.contains($0.identity) }
    }

    private static func chosen(_ rows: [ChangeLogRow], for request: ChangeLogRollbackRequest,
                               leavingOut leftOut: Set<ChangeSetIdentity>) throws(ChangeLogRollbackError) -> [ChangeLogRow] {
        let newestFirst = Array(rows.reversed())
        switch request {
        case .count(let count):
            return Array(newestFirst.filter { !leftOut.contains($0.identity) }.prefix(max(count, 0)))
        case .date(let date):
            guard isEngineTimestamp(date) else {
                throw ChangeLogRollbackError(description: "--date '\(date)' is not a time: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS,"
                    + " such as 2026-01-31 12:00:00. Nothing was rolled back.")
            }
            return newestFirst.filter { $0.dateExecuted > date }
        case .tag(let tag):
            guard let tagged = newestFirst.firstIndex(where: { $0.tag?.lowercased() == tag.lowercased() }) else {
                let known = rows.compactMap(\.tag)
                throw ChangeLogRollbackError(description: "No changeset in DATABASECHANGELOG carries the tag '\(tag)'"
                    + (known.isEmpty ? "; no row has a tag yet." : " (tags: \(known.joined(separator: ", "))).")
                    + " Nothing was rolled back.")
            }
            // The tagDatabase changeset that wrote the tag goes too, as Liquibase does by default.
            let includesTagged = newestFirst[tagged].description == "tagDatabase"
            return Array(newestFirst.prefix(includesTagged ? tagged + 1 : tagged))
        }
    }

    /// `YYYY-MM-DD`, optionally followed by ` HH:MM:SS`: the spellings whose text order is time order.
    static func isEngineTimestamp(_ text: String) -> Bool {
        let chars = Array(text.utf8)
        let shape = Array("####-##-##".utf8), time = Array(" ##:##:##".utf8)
        func matches(_ part: ArraySlice<UInt8>, _ template: [UInt8]) -> Bool {
            part.count == template.count && zip(part, template).allSatisfy { char, want in
                want == UInt8(ascii: "#") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(char)
                    : char == want
            }
        }
        switch chars.count {
        case shape.count: return matches(chars[...], shape)
        case shape.count + time.count: return matches(chars[..<shape.count], shape) && matches(chars[shape.count...], time)
        default: return false
        }
    }
}
