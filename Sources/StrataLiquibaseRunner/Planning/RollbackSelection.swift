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
    /// - Throws: ``ChangeLogRollbackError`` for a tag no row carries.
    public static func rows(_ rows: [ChangeLogRow], for request: ChangeLogRollbackRequest) throws(ChangeLogRollbackError) -> [ChangeLogRow] {
        let newestFirst = Array(rows.reversed())
        switch request {
        case .count(let count):
            return Array(newestFirst.prefix(max(count, 0)))
        case .date(let date):
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
}
