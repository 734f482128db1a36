import StrataLiquibase

/// The changelog module's checksums and SQL for one engine: what ``ChangeLogRunner`` runs
/// when it reads a real changelog.
public struct LiquibaseRendering: ChangeSetRendering {
    /// Liquibase's short name of the engine (`postgresql`, `sqlite`).
    public let database: String

    public init(database: String) {
        self.database = database
    }

    public func checksum(_ changeSet: ChangeSet, version: ChecksumVersion) throws -> String {
        changeSet.checksum(version, database: database)
    }

    public func statements(_ changeSet: ChangeSet) throws -> [String] {
        try changeSet.changes.flatMap { try sql(of: $0, in: changeSet) }
    }

    public func rollbackStatements(_ changeSet: ChangeSet) throws -> [String] {
        guard let rollback = changeSet.rollback else {
            throw ChangelogError(.noAutomaticRollback(changeSet.changes.first?.kind ?? .empty, changeSet: changeSet.identity), at: changeSet.location)
        }
        return try rollback.flatMap { try sql(of: $0, in: changeSet) }
    }

    public func description(_ changeSet: ChangeSet) -> String {
        ChangeDescription.of(changeSet.changes)
    }

    /// `sql` and `sqlFile` split as Liquibase splits them (unless `splitStatements="false"`).
    private func sql(of change: Change, in changeSet: ChangeSet) throws -> [String] {
        guard change.dbmsMatches(database) else { return [] }
        switch change.kind {
        case .sql, .sqlFile:
            let text = (change.kind == .sql ? change.string("sql") : change.fileContents) ?? ""
            if change.bool("splitStatements") == false { return [text] }
            return LiquibaseSQLSplitter.split(text, endDelimiter: change.string("endDelimiter"),
                                              stripComments: change.bool("stripComments") ?? false)
        case .empty, .output, .tagDatabase:
            return []
        default:
            throw ChangelogError(.unsupported(change.kind, flavor: database, detail: "Strata cannot render this change type yet"),
                                 at: change.location)
        }
    }
}

extension Change {
    /// A `dbms` attribute on the change itself (`<sql dbms="postgresql">`) leaves it out elsewhere.
    func dbmsMatches(_ database: String) -> Bool {
        guard let list = string("dbms") else { return true }
        let items = list.split(separator: ",").map { String($0).trimmingWhitespace.lowercased() }.filter { !$0.isEmpty }
        if items.isEmpty || items.contains("all") { return true }
        if items.contains("none") || items.contains("!" + database) { return false }
        let positives = items.filter { !$0.hasPrefix("!") }
        return positives.isEmpty || positives.contains(database)
    }
}
