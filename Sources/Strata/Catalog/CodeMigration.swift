/// A migration written in Swift rather than SQL, like Flyway's Java migrations: for changes
/// that need logic (reading rows, computing values) or that an app prefers to keep in code.
///
/// Code migrations are registered beside the SQL locations and become ``Migration`` values of
/// the same catalog, so they are ordered, planned, locked, validated, recorded and undone by the
/// same engine. Their statements run through a ``MigrationContext`` inside the migration's own
/// transaction, together with its history row.
///
/// ```swift
/// let seed = CodeMigration.versioned("3", "seed default shelves") { db in
///     for name in ["fiction", "history"] {
///         try db.execute("INSERT INTO shelves (name) VALUES (\(db.dialect.parameter(1)))", .text(name))
///     }
/// } down: { db in
///     try db.execute("DELETE FROM shelves")
/// }
/// ```
public struct CodeMigration: Sendable {
    /// What a code migration runs.
    public typealias Body = @Sendable (MigrationContext) throws -> Void

    /// `.versioned` or `.repeatable`.
    public let kind: Migration.Kind
    /// The version as written; checked when the catalog is built. Nil for repeatable ones.
    public let version: String?
    /// What it does, as `strata info` shows it; for a repeatable migration, also its identity.
    public let description: String
    /// Recorded in the history and compared on validation; nil records none and is never
    /// reported as changed. A repeatable migration runs again whenever it changes.
    public let checksum: Int32?
    /// False for a migration whose statements cannot run inside a transaction: its history row
    /// then records the attempt first and the success last, as for such SQL migrations.
    public let runsInTransaction: Bool
    /// What the migration does.
    public let up: Body
    /// Reverts ``up`` for `strata undo`; nil when the migration cannot be undone.
    public let down: Body?

    /// A migration that runs once, in version order among the SQL files.
    public static func versioned(
        _ version: String, _ description: String, checksum: Int32? = nil, runsInTransaction: Bool = true,
        up: @escaping Body, down: Body? = nil
    ) -> CodeMigration {
        CodeMigration(kind: .versioned, version: version, description: description, checksum: checksum,
                      runsInTransaction: runsInTransaction, up: up, down: down)
    }

    /// A migration that runs after the versioned ones, and again whenever `checksum` changes
    /// (bump it when the code changes; without one it runs once).
    public static func repeatable(
        _ description: String, checksum: Int32? = nil, runsInTransaction: Bool = true, up: @escaping Body
    ) -> CodeMigration {
        CodeMigration(kind: .repeatable, version: nil, description: description, checksum: checksum,
                      runsInTransaction: runsInTransaction, up: up, down: nil)
    }

    /// The name stored in the history's `script` column, shaped like a SQL file's so that
    /// people recognise it: `V3__seed_default_shelves.swift`, `R__refresh_stats.swift`.
    public var script: String {
        let words = description.split(separator: " ").joined(separator: "_")
        return kind == .repeatable ? "R__\(words).swift" : "V\(version ?? "")__\(words).swift"
    }

    /// The catalog's migrations for this code migration: itself and, with a `down`, its undo.
    func migrations() throws(CatalogProblem) -> [Migration] {
        let parsed: MigrationVersion?
        if kind == .versioned {
            guard let text = version, let valid = MigrationVersion(text) else {
                throw CatalogProblem(path: script, message: "the Swift migration's version '\(version ?? "")' is not a version; use digits separated by `.` or `_`, such as \"3\" or \"1.2\"")
            }
            parsed = valid
        } else {
            parsed = nil
        }
        guard !description.isEmpty else {
            throw CatalogProblem(path: script, message: "the Swift migration has no description; give it one, such as \"seed default shelves\"")
        }
        let directives = ScriptDirectives(transaction: runsInTransaction ? nil : false)
        var result = [Migration(kind: kind, version: parsed, description: description, script: script,
                                checksum: checksum, code: CodeBody(up), directives: directives)]
        if let down {
            result.append(Migration(kind: .undo, version: parsed, description: description, script: script,
                                    checksum: nil, code: CodeBody(down), directives: directives))
        }
        return result
    }
}

/// A code migration's closure, with an identity so that ``Migration`` stays `Hashable`.
final class CodeBody: Sendable, Hashable {
    let run: CodeMigration.Body

    init(_ run: @escaping CodeMigration.Body) {
        self.run = run
    }

    static func == (lhs: CodeBody, rhs: CodeBody) -> Bool { lhs === rhs }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// What a code migration may do: run statements on the migration's connection, inside its
/// transaction when it has one.
public struct MigrationContext {
    let database: any Database
    /// False in dry runs and offline scripts, where statements are written down rather than
    /// run: a query would then run for real, against a schema the run has not built.
    let queriesAllowed: Bool
    let migration: Migration
    /// Runs a backfill in batches for this migration; nil inside a transaction or a dry run.
    var runBackfill: ((Backfill) throws -> Void)?

    /// The engine's SQL dialect, for parameter markers (`dialect.parameter(1)`) and quoting.
    public var dialect: any SQLDialect { database.dialect }

    /// Runs one statement with positional parameters (`?1` on SQLite, `$1` on PostgreSQL).
    public func execute(_ sql: String, _ arguments: SQLValue...) throws {
        try database.execute(sql, arguments)
    }

    /// Runs one query and returns all its rows.
    public func query(_ sql: String, _ arguments: SQLValue...) throws -> [SQLRow] {
        guard queriesAllowed else {
            throw DatabaseError(
                message: "\(migration.path) queries the database, so its SQL cannot be written down without running it; a dry run or offline script can hold only Swift migrations that just execute statements. Try it on a copy of the database instead",
                sql: sql)
        }
        return try database.query(sql, arguments)
    }

    /// Runs an `UPDATE` or `DELETE` in short batches, each its own transaction, resumable after a
    /// crash: what `-- strata:backfill` does in a SQL file (see ``Backfill``). The migration must
    /// run outside a transaction (`runsInTransaction: false`); the statement is read with the
    /// migrator's ``Migrator/backfillReader``.
    public func backfill(_ statement: String) throws {
        guard let reader = backfillReader else {
            throw DatabaseError(message: "\(migration.path) runs a backfill, which needs the migrator's backfillReader (StrataLint's PostgresBackfillReader) to read the statement; pass a Backfill value instead", sql: statement)
        }
        let parsed: Backfill
        do throws(BackfillStatementError) {
            parsed = try reader.backfill(from: statement)
        } catch {
            throw DatabaseError(message: "\(migration.path): the statement cannot run in batches: \(error.message)", sql: statement)
        }
        try backfill(parsed)
    }

    /// Runs a ``Backfill`` in batches (see ``backfill(_:)-(String)``).
    public func backfill(_ backfill: Backfill) throws {
        guard let runBackfill else {
            throw DatabaseError(message: "\(migration.path) runs a backfill inside a transaction, where its batches could not commit one by one; declare the migration with runsInTransaction: false")
        }
        try runBackfill(backfill)
    }

    /// The reader for backfill statements, from the migrator.
    var backfillReader: (any BackfillStatementReader)?

    /// Runs several statements, split as the engine splits a migration file.
    public func executeScript(_ sql: String) throws {
        try database.executeScript(sql)
    }
}
