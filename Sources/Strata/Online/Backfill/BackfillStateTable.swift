/// Where backfills keep their progress between batches and across runs: one row per part of
/// a migration that is done or under way, written in the same transaction as the batch it
/// records, so that a crash or Ctrl-C loses nothing and a rerun continues from the last key.
///
/// The table sits beside the history table and is dropped once no backfill is under way.
struct BackfillStateTable {
    let name: TableName
    let database: any Database

    /// The progress of one part of a migration.
    struct Row: Sendable, Equatable {
        let part: Int
        let checksum: Int32?
        /// The last key done (several columns are joined by ``BackfillPosition``); nil before the first batch.
        let position: [String]?
        let rows: Int
        let finished: Bool
    }

    init(beside history: TableName, database: any Database) {
        name = TableName(schema: history.schema, name: "strata_backfill_state")
        self.database = database
    }

    private var table: String { database.dialect.qualified(name) }
    private func parameter(_ index: Int) -> String { database.dialect.parameter(index) }

    func create() throws {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS \(table) (
                script VARCHAR(1000) NOT NULL,
                part INTEGER NOT NULL,
                checksum INTEGER,
                position TEXT,
                rows_done BIGINT NOT NULL,
                finished BOOLEAN NOT NULL,
                PRIMARY KEY (script, part)
            )
            """)
    }

    /// The saved parts of a migration, or none when the table does not exist.
    func read(script: String) throws -> [Row] {
        guard try database.tableExists(name) else { return [] }
        return try database.query(
            "SELECT part, checksum, position, rows_done, finished FROM \(table) WHERE script = \(parameter(1)) ORDER BY part",
            [.text(script)]
        ).map { row in
            Row(part: row[0].int ?? 0, checksum: row[1].int.map { Int32(truncatingIfNeeded: $0) },
                position: row[2].string.map(BackfillPosition.decode), rows: row[3].int ?? 0, finished: row[4].bool ?? false)
        }
    }

    /// The checksum each migration with saved parts had when they were saved, by script.
    func savedScripts() throws -> [String: Int32?] {
        guard try database.tableExists(name) else { return [:] }
        var scripts: [String: Int32?] = [:]
        for row in try database.query("SELECT script, max(checksum) FROM \(table) GROUP BY script", []) {
            guard let script = row[0].string else { continue }
            scripts[script] = row[1].int.map { Int32(truncatingIfNeeded: $0) }
        }
        return scripts
    }

    /// Saves a part's progress; in a transaction, sent with its `COMMIT` (one round trip less per batch).
    func save(script: String, checksum: Int32?, part: Int, position: [String]?, rows: Int, finished: Bool) throws {
        try database.executeBeforeCommit(
            Self.upsert(into: table, "VALUES (\((1...6).map(parameter).joined(separator: ", ")))"),
            [.text(script), .integer(Int64(part)), checksum.map { .integer(Int64($0)) } ?? .null,
             position.map { .text(BackfillPosition.encode($0)) } ?? .null, .integer(Int64(rows)), .bool(finished)])
    }

    /// Where a batch that saves its own progress (``BackfillStatements/walkingBatch(after:size:saving:)``) writes it.
    func progressRow(script: String, checksum: Int32?, part: Int, rowsBefore: Int) -> BackfillProgressRow {
        BackfillProgressRow(table: table, script: script, checksum: checksum, part: part, rowsBefore: rowsBefore)
    }

    /// Inserts or replaces a part's row from `rows` (`VALUES (…)` or a `SELECT`), whose columns
    /// are script, part, checksum, position, rows done, finished.
    static func upsert(into table: String, _ rows: String) -> String {
        """
        INSERT INTO \(table) (script, part, checksum, position, rows_done, finished)
        \(rows)
        ON CONFLICT (script, part) DO UPDATE SET checksum = excluded.checksum, position = excluded.position,
            rows_done = excluded.rows_done, finished = excluded.finished
        """
    }

    /// Whether the table is there to write to: in a dry run, the run made it (in its script).
    private var isThere: Bool {
        get throws { try database is RecordingDatabase || database.tableExists(name) }
    }

    /// Forgets a migration's parts: in the transaction that records it applied.
    func clear(script: String) throws {
        guard try isThere else { return }
        try database.executeBeforeCommit("DELETE FROM \(table) WHERE script = \(parameter(1))", [.text(script)])
    }

    /// Drops the table when no backfill is under way, so that it appears only while needed.
    func dropIfEmpty() throws {
        if database is RecordingDatabase, try !database.tableExists(name) {
            return try database.execute("DROP TABLE \(table)")
        }
        guard try database.tableExists(name), try database.query("SELECT count(*) FROM \(table)", []).first?.first?.int == 0 else { return }
        try database.execute("DROP TABLE \(table)")
    }
}

/// A part's progress row as a batch statement saves it itself: the state table (qualified) and
/// the part's key, and the rows done before the batch.
package struct BackfillProgressRow: Sendable, Equatable {
    let table: String
    let script: String
    let checksum: Int32?
    let part: Int
    let rowsBefore: Int

    /// The statement that saves the row from `rows`.
    func upsert(_ rows: String) -> String { BackfillStateTable.upsert(into: table, rows) }
}

/// A key of one or more columns as one text: each value prefixed by its length, so that no
/// value can be mistaken for a separator.
enum BackfillPosition {
    static func encode(_ values: [String]) -> String {
        values.map { "\($0.utf8.count):\($0)" }.joined()
    }

    static func decode(_ text: String) -> [String] {
        var values: [String] = []
        var rest = Substring(text)
        while let colon = rest.firstIndex(of: ":"), let count = Int(rest[..<colon]) {
            let bytes = rest.utf8[rest.utf8.index(after: colon)...]
            let end = bytes.index(bytes.startIndex, offsetBy: min(count, bytes.count))
            values.append(String(decoding: bytes[..<end], as: UTF8.self))
            rest = rest[end...]
        }
        return values
    }
}
