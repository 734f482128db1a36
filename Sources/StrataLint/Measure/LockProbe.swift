import Strata

/// The experiment behind `strata lint --measure`: runs migrations on a scratch database that
/// holds the target's schema, one statement per transaction, and after each statement reads
/// from `pg_locks` the locks it holds on relations that existed before it, and from
/// `pg_class.relfilenode` which of them it rewrote.
///
/// One transaction per statement, committed, so that the locks read are this statement's own
/// and not ones an earlier statement of the migration still holds; what the migrations did is
/// undone by dropping the scratch database. A statement PostgreSQL refuses in a transaction
/// (CONCURRENTLY, VACUUM) runs on its own and is reported as not measurable: its locks end with it.
public struct LockProbe {
    private let database: any Database

    /// - Parameter database: a scratch PostgreSQL database that nothing else uses.
    public init(database: any Database) {
        self.database = database
    }

    /// Every statement of the reported sources, in order, as measured.
    public func measure(_ sources: [LintSource]) throws -> [MeasuredStatement] {
        var measured: [MeasuredStatement] = []
        for source in sources where source.reported {
            for statement in try PostgresScriptSplitter.split(source.sql) where !Self.controlsTransactions(statement.text) {
                measured.append(try measure(statement, in: source.path))
            }
        }
        return measured
    }

    private func measure(_ statement: PostgresScriptSplitter.Statement, in path: String) throws -> MeasuredStatement {
        let sql = SQLText.trimmed(statement.text)
        func failed(_ error: any Error) -> MeasuredStatement {
            MeasuredStatement(path: path, line: statement.line, sql: sql, status: .failed, error: (error as? DatabaseError)?.message ?? "\(error)")
        }
        if statement.requiresNoTransaction {
            do { try database.execute(statement.text, []) } catch { return failed(error) }
            return MeasuredStatement(path: path, line: statement.line, sql: sql, status: .outsideTransaction)
        }
        try database.execute("BEGIN", [])
        let before = try relations()
        do {
            try database.execute(statement.text, [])
        } catch {
            try database.execute("ROLLBACK", [])
            return failed(error)
        }
        let locks = try heldLocks(on: before)
        let after = try relations()
        try database.execute("COMMIT", [])
        let rewritten = before.values.filter { old in after[old.oid].map { $0.fileNode != old.fileNode } ?? false }.map(\.name).sorted()
        return MeasuredStatement(path: path, line: statement.line, sql: sql, status: .measured, locks: locks, rewritten: rewritten)
    }

    private struct Relation {
        let oid: String
        let name: String
        let kind: String
        let fileNode: String
    }

    /// The user's relations (not the catalogs' or TOAST's), by oid.
    private func relations() throws -> [String: Relation] {
        let rows = try database.query("""
            SELECT c.oid::text, n.nspname::text, c.relname::text, c.relkind::text, c.relfilenode::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
            """, [])
        var relations: [String: Relation] = [:]
        for row in rows {
            guard let oid = row[0].string, let schema = row[1].string, let name = row[2].string else { continue }
            relations[oid] = Relation(oid: oid, name: schema == "public" ? name : "\(schema).\(name)",
                                      kind: Self.kinds[row[3].string ?? ""] ?? "relation", fileNode: row[4].string ?? "")
        }
        return relations
    }

    /// This session's locks on the relations of `existing`, strongest first.
    private func heldLocks(on existing: [String: Relation]) throws -> [MeasuredLock] {
        let rows = try database.query("""
            SELECT relation::text, mode FROM pg_locks
            WHERE locktype = 'relation' AND pid = pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, [])
        let locks = rows.compactMap { row -> MeasuredLock? in
            guard let oid = row[0].string, let relation = existing[oid], let mode = row[1].string.flatMap(LockMode.init(pgLocksName:)) else { return nil }
            return MeasuredLock(relation: relation.name, kind: relation.kind, mode: mode)
        }
        return locks.sorted { ($1.mode, $0.relation) < ($0.mode, $1.relation) }
    }

    private static let kinds = ["r": "table", "i": "index", "S": "sequence", "v": "view", "m": "materialized view",
                                "c": "type", "f": "foreign table", "p": "partitioned table", "I": "partitioned index"]

    /// BEGIN, COMMIT and the like: each statement runs in a transaction of its own here.
    static func controlsTransactions(_ text: String) -> Bool {
        let word = SQLText.trimmed(text).prefix { $0.isLetter }.uppercased()
        return ["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"].contains(word)
    }
}
