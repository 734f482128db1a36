import Strata
#if canImport(Glibc)
import Glibc
#endif

/// A ``Database`` on PostgreSQL, through Strata's own wire-protocol client or libpq.
///
/// Migrations run on one connection; the migration lock (a session advisory lock) is held on a
/// second one that never opens a transaction, so concurrent index builds cannot deadlock on
/// it, and it is also the connection that asks who blocks a waiting statement.
public final class PostgresDatabase: Database {
    /// ``PostgresDialect``.
    public let dialect: any SQLDialect = PostgresDialect()
    /// The schemas given with `--schemas`; the first holds the history table.
    public let schemas: [String]
    /// How long to wait for another process's migration lock; nil waits as long as it takes.
    public var lockWait: Duration?
    /// Called every few seconds while waiting for the migration lock, with who holds it.
    public var onLockWait: (String) -> Void = { _ in }

    private let settings: PostgresConnection.Settings
    private let connection: PostgresConnection
    private var lockConnection: PostgresConnection?
    /// The open transaction's `BEGIN`, not sent yet: it goes out with the first statement, in
    /// the same message, which saves a round trip per migration.
    private var beginPending = false
    /// Writes of the open transaction whose outcome nothing reads before the commit (see
    /// ``executeBeforeCommit(_:_:)``), with their parameters as literals: they go out with the
    /// `COMMIT`, or before any other statement.
    private var pendingWrites: [String] = []

    /// Connects as `psql` would, with `application_name=strata` unless the connection string sets one.
    ///
    /// - Parameters:
    ///   - conninfo: a `postgres://` or `postgresql://` URL or a `key=value` string; what it
    ///     leaves out comes from the `PG*` variables and `.pgpass`, as in `psql`.
    ///   - user: overrides the connection string's user, as a configuration file may.
    ///   - password: overrides its password.
    ///   - schemas: the managed schemas, set as the `search_path` in this order; the first holds
    ///     the history table.
    ///   - database: another database on the same server, in place of the connection string's.
    public init(conninfo: String, user: String? = nil, password: String? = nil, schemas: [String] = [],
                database: String? = nil) throws(DatabaseError) {
        settings = PostgresConnection.Settings(conninfo: conninfo, user: user, password: password, database: database)
        self.schemas = schemas
        connection = try PostgresConnection(settings)
        if !schemas.isEmpty {
            _ = try connection.run("SET search_path TO " + schemas.map(dialect.quote).joined(separator: ", "))
        }
    }

    /// A connection like this one, to another database on the same server.
    public func reconnect(toDatabase name: String) throws(DatabaseError) -> PostgresDatabase {
        try PostgresDatabase(conninfo: settings.conninfo, user: settings.user, password: settings.password, schemas: schemas, database: name)
    }

    /// Server notices, such as `RAISE NOTICE` output.
    public var onNotice: (String) -> Void {
        get { connection.onNotice }
        set { connection.onNotice = newValue }
    }

    /// Where the database is, without the password.
    public var display: String { connection.display }

    /// Whether Strata's own protocol client serves the connection (else libpq does).
    var isWireProtocolClient: Bool { connection.isWireProtocolClient }

    /// Creates the schemas of `--schemas` that do not exist yet.
    public func createMissingSchemas() throws {
        for schema in schemas {
            _ = try connection.run("CREATE SCHEMA IF NOT EXISTS \(dialect.quote(schema))")
        }
    }

    // MARK: Statements

    /// Runs one statement, binding `arguments` to `$1`, `$2`, … as text.
    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try sendPending()
        _ = try connection.run(sql, arguments.map(Self.text))
    }

    /// Runs one statement and returns its rows, every value as text or `NULL`.
    public func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try sendPending()
        return try connection.run(sql, arguments.map(Self.text)).map(Self.values)
    }

    /// Runs one statement and hands each row of its result to `body` as it arrives. `body`
    /// must not use this database: the rest of the result is still being read. When it throws,
    /// the rest is read past and its error thrown once the session is ready again.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        try sendPending()
        var thrown: (any Error)?
        try connection.run(sql, arguments.map(Self.text)) { row in
            guard thrown == nil else { return }
            do { try body(Self.values(row)) } catch { thrown = error }
        }
        if let thrown { throw thrown }
    }

    private static func values(_ row: [String?]) -> SQLRow {
        row.map { $0.map(SQLValue.text) ?? .null }
    }

    /// In a transaction, keeps the write to send it with the `COMMIT` in one message; its
    /// failure then surfaces from the commit, which it prevents.
    public func executeBeforeCommit(_ sql: String, _ arguments: [SQLValue]) throws {
        guard beginPending || connection.inTransaction else { return try execute(sql, arguments) }
        pendingWrites.append(try connection.inline(sql, arguments.map(Self.text)))
    }

    /// Sends the `BEGIN` and the writes that wait, then `closing`, in one message.
    private func sendPending(closing: [String] = []) throws(DatabaseError) {
        let statements = (beginPending ? ["BEGIN"] : []) + pendingWrites + closing
        guard !statements.isEmpty else { return }
        let subject = pendingWrites.first
        beginPending = false
        pendingWrites = []
        try connection.runAll(statements, subject: subject)
    }

    private static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .text(let text): text
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// Runs a script statement by statement as psql would split it, streaming `COPY … FROM STDIN`
    /// data; a failure names its line, SQLSTATE and, for a lock timeout, the session that blocked it.
    public func executeScript(_ sql: String) throws(ScriptError) {
        let statements: [PostgresScriptSplitter.Statement]
        do {
            statements = try PostgresScriptSplitter.split(sql)
        } catch {
            throw ScriptError(line: error.line, statement: "", message: error.message, code: nil)
        }
        do {
            // The script's statements may read what the writes wrote.
            if !pendingWrites.isEmpty { try sendPending() }
        } catch {
            throw ScriptError(line: 0, statement: SQLText.firstLine(of: error.sql ?? ""), message: error.message, code: error.code)
        }
        for statement in statements {
            try run(statement)
        }
    }

    /// Sends one statement and waits for it, asking the lock connection who blocks it when it
    /// waits long, so that a lock timeout can name the blocker.
    private func run(_ statement: PostgresScriptSplitter.Statement) throws(ScriptError) {
        // A pending BEGIN goes in the same message; its result comes first.
        let text = beginPending ? "BEGIN;\n" + statement.text : statement.text
        beginPending = false
        var blocked: Blocked?
        let pid = connection.backendPID
        let failure = connection.send(text, copyData: statement.copyData) { [self] in
            blocked = blockers(of: pid)
        }
        if let failure {
            throw ScriptError(line: statement.line, statement: SQLText.firstLine(of: statement.text), message: failure.message, code: failure.code,
                              blockedBy: blocked?.description, blockers: blocked?.blockers ?? [])
        }
    }

    /// The sessions that blocked a statement: for messages, and the transactions to wait for.
    private struct Blocked {
        let description: String?
        let blockers: [LockBlocker]
    }

    /// Asks the lock connection which sessions block `pid`, with the virtual transaction each
    /// holds (readable in `pg_locks` without any privilege).
    private func blockers(of pid: Int32) -> Blocked? {
        guard let monitor = lockConnection else { return nil }
        let rows = (try? monitor.run(
            """
            SELECT b.pid, l.virtualxid, format('pid %s (%s, %s%s)', b.pid, coalesce(nullif(a.application_name, ''), 'no application_name'),
                   a.state, coalesce(', since ' || to_char(a.xact_start, 'HH24:MI:SS'), ''))
            FROM (SELECT DISTINCT unnest(pg_blocking_pids($1::int)) AS pid) b
            LEFT JOIN pg_stat_activity a ON a.pid = b.pid
            LEFT JOIN pg_locks l ON l.pid = b.pid AND l.locktype = 'virtualxid' AND l.granted AND l.virtualxid = l.virtualtransaction
            ORDER BY b.pid
            """, [String(pid)])) ?? []
        guard !rows.isEmpty else { return nil }
        return Blocked(
            description: rows.compactMap { $0[2] }.joined(separator: "; "),
            blockers: rows.compactMap { row in
                guard let pid = row[0].flatMap({ Int($0) }), let transaction = row[1] else { return nil }
                return LockBlocker(pid: pid, transaction: transaction)
            })
    }

    /// Polls `pg_locks` every 20 ms, on the lock connection (never in a transaction, so it
    /// queues for nothing), until no blocker's virtual transaction is held any more.
    public func waitForEnd(of blockers: [LockBlocker], upTo limit: Duration) throws -> Bool {
        guard !blockers.isEmpty else { return false }
        let monitor = lockConnection ?? connection
        let transactions = "{" + blockers.map { "\"\($0.transaction)\"" }.joined(separator: ",") + "}"
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            let held = try monitor.run(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'virtualxid' AND granted AND virtualxid = ANY ($1::text[])",
                [transactions]).first?.first ?? nil
            if held == "0" { return true }
            guard clock.now < deadline else { return false }
            var pause = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&pause, nil)
        }
    }

    // MARK: Transactions and locking

    /// `BEGIN` goes out with the transaction's first statement and the last writes with the
    /// `COMMIT`: a migration of one statement takes two round trips instead of four.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        guard !beginPending && !connection.inTransaction else { return try body() }
        beginPending = true
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            beginPending = false
            pendingWrites = []
            if connection.inTransaction { _ = try? connection.run("ROLLBACK") }
            throw error
        }
    }

    /// Commits with the writes that wait in one message; a transaction that sent nothing has
    /// nothing to commit.
    private func commit() throws(DatabaseError) {
        guard !beginPending || !pendingWrites.isEmpty else {
            beginPending = false
            return
        }
        try sendPending(closing: ["COMMIT"])
    }

    /// Takes a session advisory lock keyed on the history table's name, on a connection of its own
    /// (polling, for at most ``lockWait``), and releases it when `body` returns or throws.
    public func withMigrationLock<T>(for table: TableName, _ body: () throws -> T) throws -> T {
        let lock = try PostgresConnection(settings)
        let key = String(Self.lockKey(for: dialect.qualified(table)))
        try acquire(key, on: lock, table: table)
        lockConnection = lock
        defer {
            _ = try? lock.run("SELECT pg_advisory_unlock($1::bigint)", [key])
            lockConnection = nil
        }
        let deferred = try deferDurability()
        let result: T
        do {
            result = try body()
        } catch {
            if deferred { try? makeDurable() }
            throw error
        }
        if deferred { try makeDurable() }
        return result
    }

    /// Lets the run's commits return before the server has flushed them to disk
    /// (`synchronous_commit = off` for this session), and ``makeDurable()`` waits once at the
    /// end: a run of a thousand migrations waited for a thousand flushes, one per migration.
    ///
    /// Nothing becomes inconsistent: a migration and its history row commit together, and the
    /// server writes its log in order, so a server crash during the run loses only the last
    /// migrations applied, whole (at most 3 × `wal_writer_delay` of them); the next run applies them
    /// again. The run reports success only after the final flush, which also waits for
    /// synchronous standbys where the server's configuration asks for them. A
    /// `synchronous_commit` chosen for the connection, the role or the database is kept.
    /// Backfill batches commit durably all the same (``PostgresDialect/durableCommit``).
    /// Returns whether it changed it.
    private func deferDurability() throws(DatabaseError) -> Bool {
        guard !beginPending && !connection.inTransaction else { return false }
        return !(try connection.run(
            """
            SELECT set_config('synchronous_commit', 'off', false) FROM pg_settings
            WHERE name = 'synchronous_commit' AND setting <> 'off'
              AND source NOT IN ('client', 'session', 'user', 'database', 'database user')
            """)).isEmpty
    }

    /// Restores `synchronous_commit` and, if the server's log holds anything not yet on disk,
    /// commits a transaction that waits for it to be flushed (a commit waits for everything
    /// written before it).
    private func makeDurable() throws(DatabaseError) {
        if connection.inTransaction { _ = try? connection.run("ROLLBACK") }
        try connection.runAll([
            "RESET synchronous_commit",
            "SELECT CASE WHEN pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn() THEN txid_current() END",
        ], subject: "RESET synchronous_commit")
    }

    /// True: the advisory lock keeps every other run out for the whole command.
    public var migrationLockExcludesOtherRuns: Bool { true }

    /// Polls for the advisory lock, telling every five seconds who holds it.
    private func acquire(_ key: String, on lock: PostgresConnection, table: TableName) throws {
        let clock = ContinuousClock()
        let start = clock.now
        var nextReport = start + .milliseconds(500)
        func tryLock() throws -> Bool {
            try lock.run("SELECT pg_try_advisory_lock($1::bigint)", [key]).first?.first == "t"
        }
        while try !tryLock() {
            let holder = try lock.run(
                """
                SELECT format('pid %s (%s), its session connected at %s', a.pid, coalesce(nullif(a.application_name, ''), 'no application_name'),
                       to_char(coalesce(a.backend_start, now()), 'YYYY-MM-DD HH24:MI:SS'))
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid AND l.objsubid = 1
                """, [key]).first?.first ?? "another session"
            let waited = clock.now - start
            if let lockWait, waited >= lockWait {
                throw MigrationLockTimeout(table: table, holder: holder ?? "another session", waited: waited)
            }
            if clock.now >= nextReport {
                onLockWait("Waiting for the migration lock on \(table), held by \(holder ?? "another session")")
                nextReport = clock.now + .seconds(5)
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            nanosleep(&pause, nil)
        }
    }

    /// A stable 64-bit key for the history table's qualified name (FNV-1a), so that runs on
    /// different history tables of one database do not wait for each other.
    static func lockKey(for qualifiedTable: String) -> Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in ("strata:" + qualifiedTable).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }

    // MARK: Catalog queries

    /// Whether the table exists (in the search path when it names no schema).
    public func tableExists(_ table: TableName) throws -> Bool {
        try connection.run("SELECT to_regclass($1) IS NOT NULL", [dialect.qualified(table)]).first?.first == "t"
    }

    /// How many relations, functions, enums and domains the history table's schema holds besides the
    /// history table and its indexes.
    public func userObjectCount(excluding table: TableName) throws -> Int {
        let rows = try connection.run(
            """
            WITH target AS (SELECT oid FROM pg_namespace WHERE nspname = coalesce($1::text, current_schema()))
            SELECT (SELECT count(*) FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM target)
                      AND c.relname::text NOT IN ($2::text, $2::text || '_pk', $2::text || '_s_idx'))
                 + (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM target))
                 + (SELECT count(*) FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM target) AND t.typtype IN ('e', 'd'))
            """, [table.schema, table.name])
        return Int(rows.first?.first.flatMap { $0 } ?? "0") ?? 0
    }

    /// The invalid indexes that the script's failed `CREATE INDEX CONCURRENTLY` statements left.
    public func leftovers(ofFailedScript sql: String) throws -> [Leftover] {
        guard let statements = try? PostgresScriptSplitter.split(sql) else { return [] }
        return try statements.compactMap { statement in
            try PostgresScriptSplitter.concurrentIndex(in: statement.text).flatMap(invalidIndex)
        }
    }

    private func invalidIndex(_ index: PostgresScriptSplitter.ConcurrentIndex) throws -> Leftover? {
        let name = (index.schema.map { dialect.quote($0) + "." } ?? "") + dialect.quote(index.name)
        let invalid = try connection.run(
            "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)", [name]).first?.first
        guard invalid == "t" else { return nil }
        // `IF NOT EXISTS` would keep the broken index, so a rerun drops it first.
        return Leftover(description: "the invalid index \(name)", cleanup: "DROP INDEX CONCURRENTLY IF EXISTS \(name)",
                        removedBeforeRerun: index.ifNotExists)
    }

    /// Drops each schema with everything in it and creates it again, empty.
    public func dropEverything(inSchemas schemas: [String]) throws -> [String] {
        let names = schemas.isEmpty ? [try connection.run("SELECT current_schema()").first?.first.flatMap { $0 } ?? "public"] : schemas
        return try inTransaction {
            for name in names {
                _ = try connection.run("DROP SCHEMA IF EXISTS \(dialect.quote(name)) CASCADE")
                _ = try connection.run("CREATE SCHEMA \(dialect.quote(name))")
            }
            return names.map { "schema \($0)" }
        }
    }

    /// `current_user`.
    public func sessionUser() throws -> String? {
        try connection.run("SELECT current_user").first?.first ?? nil
    }
}

/// Another process held the migration lock for longer than `--lock-wait`.
public struct MigrationLockTimeout: StrataError, Equatable {
    /// The history table whose lock was waited for.
    public let table: TableName
    /// Who held the lock: pid, `application_name` and when its session connected.
    public let holder: String
    /// How long this run waited.
    public let waited: Duration

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: who holds the lock and what to do.
    public var description: String {
        let seconds = waited.components.seconds
        return "Gave up after \(seconds) s waiting for the migration lock on \(table), held by \(holder). Another strata run is migrating this database; let it finish, or raise --lock-wait."
    }
}
