/// Reads and writes the history table through a ``Database``, in the engine's dialect.
package struct HistoryTable {
    package let name: TableName
    let database: any Database
    /// For a script written without a database: the rows taken as already there, and those the
    /// script adds; its statements then compute ranks themselves.
    private let assumed: AssumedHistory?
    /// The migrations whose strings the rows read reuse where they hold the same text (nearly
    /// always): a row's description and script were two heap strings of their own, 1.3 MB at
    /// 10,000 rows.
    private var shared: Catalog?

    package init(name: TableName, database: any Database) {
        self.name = name
        self.database = database
        self.assumed = nil
    }

    /// A history with no database behind it: nil `entries` for a database without the table.
    init(name: TableName, recordingTo database: RecordingDatabase, assuming entries: [HistoryEntry]?) {
        self.name = name
        self.database = database
        self.assumed = AssumedHistory(entries: entries)
    }

    /// This table, its rows sharing their description and script with the catalog's migrations.
    func sharingStrings(with catalog: Catalog) -> HistoryTable {
        var table = self
        table.shared = catalog
        return table
    }

    private var dialect: any SQLDialect { database.dialect }
    private var table: String { dialect.qualified(name) }

    package func exists() throws -> Bool {
        try assumed.map { $0.entries != nil } ?? database.tableExists(name)
    }

    package func create() throws {
        for statement in dialect.createHistoryTable(name) {
            try database.execute(statement)
        }
        if let assumed, assumed.entries == nil { assumed.entries = [] }
    }

    /// Every row, oldest first; empty when the table does not exist yet.
    package func read() throws -> [HistoryEntry] {
        if let assumed { return assumed.entries ?? [] }
        guard try exists() else { return [] }
        let sql = """
            SELECT installed_rank, version, description, type, script, checksum, installed_by, \
            \(dialect.installedOnAsText("installed_on")), execution_time, success FROM \(table) ORDER BY installed_rank
            """
        var entries: [HistoryEntry] = []
        // Sized from the row count: grown by doubling, the array of 10,000 rows held room for
        // 16,384 (1 MiB unused at the peak of `info`).
        entries.reserveCapacity(try fingerprint().count)
        try database.forEachRow(sql, []) { entries.append(try entry(from: $0)) }
        return entries
    }

    /// A cheap summary that changes whenever anyone writes to the table, so a run can tell
    /// under the lock whether its view of the history is still current.
    package func fingerprint() throws -> HistoryFingerprint {
        if let assumed { return HistoryFingerprint(assumed.entries ?? []) }
        // Two subqueries: SQLite then counts the rows page by page and finds the highest rank
        // in the primary key's index, where one aggregate query would visit every row.
        let row = try database.query(
            "SELECT (SELECT count(*) FROM \(table)), (SELECT coalesce(max(installed_rank), 0) FROM \(table))", []).first
        return HistoryFingerprint(count: row?[0].int ?? 0, maxRank: row?[1].int ?? 0)
    }

    var statements: HistoryStatements { HistoryStatements(table: name, dialect: dialect) }

    /// Appends a row with the next rank, returning that rank.
    /// - Parameter after: the history's fingerprint when the caller already read it in this
    ///   transaction; saves reading it again.
    @discardableResult
    package func append(_ row: NewHistoryRow, installedBy: String, after known: HistoryFingerprint? = nil) throws -> Int {
        let rank = try (known ?? fingerprint()).maxRank + 1
        if let assumed {
            try run(statements.insert(row, installedBy: installedBy, rank: .next))
            if assumed.entries == nil { assumed.entries = [] }
            assumed.entries!.append(HistoryEntry(row, rank: rank, installedBy: installedBy))
        } else {
            let insert = statements.insert(row, installedBy: installedBy, rank: .value(rank))
            try database.executeBeforeCommit(insert.sql, insert.arguments)
        }
        return rank
    }

    /// `rank` as SQL for a statement about the row just appended: the number, or in a script
    /// written without a database, where ranks are computed as it runs, the newest rank.
    package func rankSQL(_ rank: Int) -> String {
        assumed == nil ? String(rank) : statements.newestRank
    }

    package func realign(rank: Int, checksum: Int32?, description: String) throws {
        try run(statements.realign(rank: rank, checksum: checksum, description: description))
    }

    /// Records how a migration run outside a transaction ended; in a transaction, with its `COMMIT`.
    package func finish(rank: Int, executionTime: Int, success: Bool) throws {
        let statement = statements.finish(rank: assumed == nil ? .value(rank) : .next, executionTime: executionTime, success: success)
        try database.executeBeforeCommit(statement.sql, statement.arguments)
    }

    package func delete(rank: Int) throws {
        try run(statements.delete(rank: rank))
    }

    private func run(_ statement: SQLStatement) throws {
        try database.execute(statement.sql, statement.arguments)
    }

    private func entry(from row: SQLRow) throws(DatabaseError) -> HistoryEntry {
        guard row.count == 10, let rank = row[0].int, let success = row[9].bool else {
            throw DatabaseError(message: "the history table \(name) has a row Strata cannot read: \(row)")
        }
        let versionText = row[1].string
        let version = versionText.flatMap(MigrationVersion.init)
        if let versionText, version == nil {
            throw DatabaseError(message: "the history table \(name) holds the version '\(versionText)' at installed_rank \(rank), which is not a version")
        }
        let type = HistoryType(rawValue: row[3].string ?? "")
        var description = row[2].string ?? ""
        var script = row[4].string ?? ""
        if let file = shared?.file(recordedAs: version, type: type, description: description) {
            if file.description == description { description = file.description }
            if file.script == script { script = file.script }
        }
        return HistoryEntry(
            installedRank: rank, version: version, description: description, type: type, script: script,
            checksum: row[5].int.map { Int32(truncatingIfNeeded: $0) }, installedBy: row[6].string ?? "",
            installedOn: row[7].string ?? "", executionTime: row[8].int ?? 0, success: success)
    }
}

/// See ``HistoryTable/fingerprint()``.
package struct HistoryFingerprint: Sendable, Equatable {
    package let count: Int
    package let maxRank: Int

    package init(count: Int, maxRank: Int) {
        self.count = count
        self.maxRank = maxRank
    }

    package init(_ entries: [HistoryEntry]) {
        self.init(count: entries.count, maxRank: entries.map(\.installedRank).max() ?? 0)
    }
}

/// The rows an offline script takes as present, and those it has added so far.
private final class AssumedHistory {
    var entries: [HistoryEntry]?

    init(entries: [HistoryEntry]?) {
        self.entries = entries
    }
}
