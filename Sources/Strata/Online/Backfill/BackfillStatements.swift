/// How a backfill walks its table, found once when it starts.
package enum BackfillKeyset: Sendable, Equatable {
    /// The primary key's columns and their types (`format_type` on PostgreSQL), in key order.
    case primaryKey([KeyColumn])
    /// PostgreSQL's physical row address, a range of blocks at a time, up to the table's last
    /// block when the backfill began (`endBlock`, kept in its saved position, ``CtidCursor``):
    /// rows an update moves beyond it are not visited again.
    case ctid(endBlock: Int, rowsPerBlock: Int)
    /// SQLite's `rowid`.
    case rowid

    package struct KeyColumn: Sendable, Equatable {
        package let name: String
        package let type: String

        package init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }
}

/// The statements of one backfill's batches, built from the backfill and its keyset. Pure:
/// positions are key values as text (for `ctid`, a ``CtidCursor``), passed as parameters.
package struct BackfillStatements: Sendable {
    let backfill: Backfill
    let keyset: BackfillKeyset
    let dialect: any SQLDialect

    package init(backfill: Backfill, keyset: BackfillKeyset, dialect: any SQLDialect) {
        self.backfill = backfill
        self.keyset = keyset
        self.dialect = dialect
    }

    /// The last key of the next batch of `size` keys after `position` (nil: from the start); it
    /// returns no row when fewer are left, and the batch then runs to the end. It walks the key
    /// alone, which the primary key's index answers in key order whatever the statement's
    /// condition; the batch applies that condition. Nil for `ctid`, whose ranges are counted in
    /// blocks without a query.
    package func boundary(after position: [String]?, size: Int) -> SQLStatement? {
        if case .ctid = keyset { return nil }
        let (range, arguments) = condition(after: position, through: nil, withStatementCondition: false)
        // Named apart from the key columns, so that ORDER BY sorts by the keys and not by their text.
        let columns = keyColumns.enumerated().map { "\(castToText($1)) AS strata_key_\($0 + 1)" }.joined(separator: ", ")
        return SQLStatement(
            "SELECT \(columns) FROM \(target) WHERE \(range) ORDER BY \(keyColumns.joined(separator: ", ")) LIMIT 1 OFFSET \(max(size - 1, 0))",
            arguments)
    }

    /// For `ctid`: where the walk stands at a saved `position` (nil: at the start, up to the
    /// table's end now). Sweeps may follow a `DELETE`, or an `UPDATE` with a `WHERE`, until a
    /// batch finds it changed rows that still match. Nil for other keysets.
    package func ctidCursor(at position: [String]?) throws(CtidCursor.UnreadablePosition) -> CtidCursor? {
        guard case .ctid(let endBlock, _) = keyset else { return nil }
        let sweeps = switch backfill.change {
        case .delete: true
        case .update: backfill.condition != nil
        }
        return try CtidCursor(position: position, endBlock: endBlock, sweeps: sweeps)
    }

    /// For `ctid`: the block before which a batch of `size` rows that starts at the cursor's
    /// block ends, never beyond the cursor's end, and whether it is the last batch.
    package func blockBoundary(from cursor: CtidCursor, size: Int) -> (end: Int, isLast: Bool)? {
        guard case .ctid(_, let rowsPerBlock) = keyset else { return nil }
        let end = min(cursor.block + max(size / max(rowsPerBlock, 1), 1), cursor.endBlock)
        return (end, end >= cursor.endBlock)
    }

    /// For `ctid`: the batch over the blocks from the cursor's up to `end`, skipping the row
    /// versions earlier batches wrote there (see ``CtidCursor``). Its one row, for
    /// ``CtidCursor/advanced(to:changed:stillMatching:written:)``: rows changed, the blocks it
    /// wrote versions in that a later batch walks (null when none), how many of the rows it
    /// changed still match the statement's `WHERE` (0 without one), and the application's busy
    /// sessions (``busyApplicationSessions``; null unless `countingBusySessions`).
    package func ctidBatch(from cursor: CtidCursor, through end: Int, countingBusySessions: Bool) -> SQLStatement? {
        guard case .ctid = keyset else { return nil }
        var (range, arguments) = condition(after: [String(cursor.block)], through: [String(end)])
        let skipped = cursor.skipped(before: end)
        if !skipped.isEmpty {
            arguments.append(.text("{" + skipped.joined(separator: ",") + "}"))
            range += " AND NOT (xmin = ANY (\(dialect.parameter(arguments.count))::xid[]))"
        }
        switch backfill.change {
        case .update(let assignments):
            let still = backfill.condition.map { "(\(Backfill.closed($0))) IS TRUE" } ?? "false"
            return SQLStatement(
                """
                WITH strata_batch AS (UPDATE \(target) SET \(Backfill.closed(assignments)) WHERE \(range) RETURNING ctid, xmin, \(still) AS strata_still) \
                SELECT count(*), (SELECT string_agg(xid || ':' || first || '-' || last, ' ') FROM (SELECT xmin::text AS xid, \
                min((ctid::text::point)[0]::bigint) AS first, max((ctid::text::point)[0]::bigint) AS last FROM strata_batch \
                WHERE ctid >= '(\(end),0)'::tid AND ctid < '(\(cursor.endBlock),0)'::tid GROUP BY xmin::text) strata_ahead), \
                count(*) FILTER (WHERE strata_still), \(busySessions(if: countingBusySessions)) FROM strata_batch
                """, arguments)
        case .delete:
            return SQLStatement("WITH strata_batch AS (DELETE FROM \(target) WHERE \(range) RETURNING 1) "
                                + "SELECT count(*), NULL, 0, \(busySessions(if: countingBusySessions)) FROM strata_batch", arguments)
        }
    }

    /// The batch over the keys after `position` through `end` (nil: to the end). On PostgreSQL
    /// it is a query returning how many rows it changed; on SQLite a statement, after which
    /// `SELECT changes()` says.
    package func batch(after position: [String]?, through end: [String]?) -> SQLStatement {
        let (range, arguments) = condition(after: position, through: end)
        let change = switch backfill.change {
        case .update(let assignments): "UPDATE \(target) SET \(Backfill.closed(assignments)) WHERE \(range)"
        case .delete: "DELETE FROM \(target) WHERE \(range)"
        }
        guard dialect is PostgresDialect else { return SQLStatement(change, arguments) }
        return SQLStatement("WITH strata_batch AS (\(change) RETURNING 1) SELECT count(*) FROM strata_batch", arguments)
    }

    /// PostgreSQL with a primary key: the whole batch as one statement, so that the only round
    /// trip while it holds its rows' locks is the `COMMIT`. It walks the next `size` keys after
    /// `position`, changes the rows among them that the statement's condition selects, saves
    /// the progress through `progress` in the same statement, and, when `countingWaiters`, counts
    /// the sessions left waiting for its locks (see ``BackfillThrottle/countsWaiters(millisecondsSinceLastCount:lastCountFoundWaiters:)``).
    /// Its one row: keys walked, rows changed, the last key walked (encoded as
    /// ``BackfillPosition``; null when none was left), rows saved, sessions waiting (0 when not
    /// counted), the application's busy sessions (``busyApplicationSessions``; null unless
    /// `countingBusySessions`).
    /// Nil for other keysets.
    package func walkingBatch(after position: [String]?, size: Int, saving progress: BackfillProgressRow,
                              countingWaiters: Bool, countingBusySessions: Bool) -> SQLStatement? {
        guard dialect is PostgresDialect, case .primaryKey = keyset else { return nil }
        // Both carry the same key parameters: the statement's condition holds none.
        let (walked, _) = condition(after: position, through: nil, withStatementCondition: false)
        let (changed, arguments) = condition(after: position, through: nil)
        let columns = keyColumns.joined(separator: ", ")
        let last = keyColumns.map { "(SELECT \($0) FROM strata_end)" }
        let upTo = keyColumns.count == 1 ? "\(keyColumns[0]) <= \(last[0])" : "(\(columns)) <= (\(last.joined(separator: ", ")))"
        let encoded = keyColumns.map { "octet_length(\($0)::text)::text || ':' || \($0)::text" }.joined(separator: " || ")
        let change = switch backfill.change {
        case .update(let assignments): "UPDATE \(target) SET \(Backfill.closed(assignments)) WHERE \(changed) AND \(upTo) RETURNING 1"
        case .delete: "DELETE FROM \(target) WHERE \(changed) AND \(upTo) RETURNING 1"
        }
        var all = arguments
        func parameter(_ value: SQLValue) -> String {
            all.append(value)
            return dialect.parameter(all.count)
        }
        let save = progress.upsert(
            """
            SELECT \(parameter(.text(progress.script)))::text, \(parameter(.integer(Int64(progress.part))))::integer, \
            \(parameter(progress.checksum.map { .integer(Int64($0)) } ?? .null))::integer, \
            coalesce(last_key, \(parameter(position.map { .text(BackfillPosition.encode($0)) } ?? .null))::text), \
            \(parameter(.integer(Int64(progress.rowsBefore))))::bigint + changed_rows, walked_keys < \(size) FROM strata_walked
            """)
        return SQLStatement(
            """
            WITH strata_keys AS (SELECT \(columns) FROM \(dialect.qualified(backfill.table)) WHERE \(walked) ORDER BY \(columns) LIMIT \(max(size, 1))),
            strata_end AS (SELECT \(columns) FROM strata_keys ORDER BY \(keyColumns.map { $0 + " DESC" }.joined(separator: ", ")) LIMIT 1),
            strata_batch AS (\(change)),
            strata_walked AS (SELECT (SELECT count(*) FROM strata_keys) AS walked_keys, (SELECT count(*) FROM strata_batch) AS changed_rows,
                (SELECT \(encoded) FROM strata_end) AS last_key),
            strata_saved AS (\(save) RETURNING 1)
            SELECT walked_keys, changed_rows, last_key, (SELECT count(*) FROM strata_saved),
                \(countingWaiters ? "(\(Self.sessionsWaitingForThisOne))" : "0"), \(busySessions(if: countingBusySessions)) FROM strata_walked
            """, all)
    }

    /// Sessions waiting, right now, for a lock this session holds.
    package static let sessionsWaitingForThisOne =
        "SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))"

    /// The application's sessions busy right now: client sessions other than this one in a
    /// statement or a transaction, as far as the role may see them (`pg_read_all_stats` sees
    /// all; others' state reads as null). ``BackfillThrottle`` reads the application's queue in it.
    package static let busyApplicationSessions =
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()"

    /// The busy sessions' count as a column of a batch's row, or null when not counted.
    private func busySessions(if counting: Bool) -> String {
        counting ? "(\(Self.busyApplicationSessions))" : "NULL"
    }

    /// Counts the rows after `position` that the statement's condition still selects.
    package func remaining(after position: [String]?) -> SQLStatement {
        let (range, arguments) = condition(after: position, through: nil)
        return SQLStatement("SELECT count(*) FROM \(target) WHERE \(range)", arguments)
    }

    /// The table as the statement names it, with its alias.
    private var target: String {
        dialect.qualified(backfill.table) + (backfill.alias.map { " AS " + dialect.quote($0) } ?? "")
    }

    private var keyColumns: [String] {
        switch keyset {
        case .primaryKey(let columns): columns.map { dialect.quote($0.name) }
        case .ctid: ["ctid"]
        case .rowid: ["rowid"]
        }
    }

    private func castToText(_ column: String) -> String {
        dialect is PostgresDialect ? "\(column)::text" : column
    }

    /// The statement's condition and the keyset range, with their parameters.
    private func condition(after start: [String]?, through end: [String]?, withStatementCondition: Bool = true) -> (String, [SQLValue]) {
        var clauses = withStatementCondition ? backfill.condition.map { ["(\(Backfill.closed($0)))"] } ?? [] : []
        var arguments: [SQLValue] = []
        func bound(_ values: [String], _ comparison: String) {
            let markers = zip(values, typeCasts).map { value, cast in
                arguments.append(.text(value))
                return cast(dialect.parameter(arguments.count))
            }
            let columns = keyColumns
            clauses.append(columns.count == 1
                ? "\(columns[0]) \(comparison) \(markers[0])"
                : "(\(columns.joined(separator: ", "))) \(comparison) (\(markers.joined(separator: ", ")))")
        }
        if case .ctid = keyset {
            // A ctid position holds its block first (see ``CtidCursor``).
            if let block = start?.first { bound(["(\(block),0)"], ">=") }
            if let block = end?.first { bound(["(\(block),0)"], "<") }
        } else {
            if let start { bound(start, ">") }
            if let end { bound(end, "<=") }
        }
        return (clauses.isEmpty ? "true" : clauses.joined(separator: " AND "), arguments)
    }

    /// How each key parameter is cast, so that text positions compare as the key's type.
    private var typeCasts: [(String) -> String] {
        switch keyset {
        case .primaryKey(let columns): columns.map { column in { "\($0)::\(column.type)" } }
        case .ctid: [{ "\($0)::tid" }]
        case .rowid: [{ "CAST(\($0) AS INTEGER)" }]
        }
    }
}
