#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataPostgres
import StrataSQLite
import StrataLint
import StrataSchema

/// Where a schema comes from, for `strata diff`, `drift` and `generate`: a live database, a
/// migrations folder replayed on a scratch database, or a schema SQL file loaded into one.
public enum SchemaSource: Sendable, Equatable {
    case database(DatabaseURL)
    /// Migrations folders replayed in order, with the configuration's code migrations.
    case migrations(folders: [String])
    case sqlFile(path: String)

    /// A folder that exists is migrations; a file that exists is a schema SQL file; anything
    /// else must be a database URL.
    public init(parsing text: String) throws(ConfigurationError) {
        var info = stat()
        if stat(text, &info) == 0 {
            self = info.st_mode & S_IFMT == S_IFDIR ? .migrations(folders: [text]) : .sqlFile(path: text)
            return
        }
        guard text.contains(":") || text.contains("=") else {
            throw ConfigurationError("'\(text)' is neither a folder, a file nor a database URL. Give a migrations folder, a schema .sql file, or a URL such as sqlite:app.db or postgresql://host/db.")
        }
        self = .database(try DatabaseURL(parsing: text))
    }
}

extension DatabaseURL {
    /// The engine's SQL, for comparing and rendering schemas.
    public var flavor: SQLFlavor {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgresql
        }
    }
}

/// Reading schemas, from databases and from scratch databases that replay migrations.
extension StrataConfiguration {
    /// The schema a source describes, without the history table.
    /// - Parameter scratchServer: where a folder or file is replayed: a SQLite URL means an
    ///   in-memory SQLite database; a PostgreSQL URL a temporary database on that server,
    ///   dropped afterwards.
    public func schema(of source: SchemaSource, scratchServer: DatabaseURL) throws -> Schema {
        switch source {
        case .database(let url):
            return try introspect(try open(url, create: false))
        case .migrations(let folders):
            return try replaying(folders, on: scratchServer) { schema, _ in schema }
        case .sqlFile(let path):
            let sql: String
            do {
                sql = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError("Cannot read the schema file \(path): \(error).")
            }
            return try withScratch(on: scratchServer) { database in
                do throws(ScriptError) {
                    try database.executeScript(sql)
                } catch {
                    throw MigrationScriptError(path: path, line: error.line, message: error.message)
                }
                return try introspect(database)
            }
        }
    }

    /// Runs `body` with the schema `folders` build, replayed in order on a scratch database of
    /// `scratchServer` (see ``schema(of:scratchServer:)``), and that database, dropped afterwards.
    public func replaying<T>(_ folders: [String], on scratchServer: DatabaseURL, _ body: (Schema, any Database) throws -> T) throws -> T {
        var replay = self
        replay.locations = folders
        return try withScratch(on: scratchServer) { database in
            try replayMigrator(on: database, catalog: try replay.readCatalog())
                .migrate(MigrateOptions(plan: PlanOptions(contract: true), lockRetry: lockRetry))
            return try body(try introspect(database), database)
        }
    }

    /// A migrator that replays migrations on a scratch database as `migrate` runs them: every
    /// phase (contract ones too: the schema the files build is the one after them), and
    /// backfills read as `strata migrate` reads them.
    private func replayMigrator(on database: any Database, catalog: Catalog) -> Migrator {
        let migrator = Migrator(database: database, catalog: catalog, table: historyTable)
        migrator.backfillReader = PostgresBackfillReader()
        return migrator
    }

    /// What the live database holds, and what its applied migrations produce when replayed
    /// on a scratch database: equal unless the database drifted from its migrations.
    public func drift(scratchServer: DatabaseURL? = nil) throws -> (expected: Schema, found: Schema) {
        let location = try databaseURL()
        let live = try makeMigrator(create: false)
        let found = try introspect(live.database)
        let plan = try live.info()
        // Only what was applied: not a version left pending below the current one (ignored, or
        // a contract migration still waiting), while applied contract migrations count.
        let unapplied = Set(plan.infos.filter { $0.kind == .versioned && [.pending, .ignored].contains($0.state) }.compactMap(\.version))
        let applied = try Catalog(live.catalog.all.filter { $0.kind != .versioned || $0.version.map { !unapplied.contains($0) } ?? true })
        let expected = try withScratch(on: scratchServer ?? location) { database in
            if let current = plan.currentVersion {
                try replayMigrator(on: database, catalog: applied)
                    .migrate(MigrateOptions(plan: PlanOptions(target: .version(current), outOfOrder: true, contract: true), lockRetry: lockRetry))
            }
            return try introspect(database)
        }
        return (expected, found)
    }

    /// Each way the live schema differs from what its applied migrations produce (see
    /// ``drift(scratchServer:)``), as object, expected, found; empty when it has not drifted.
    public func driftDifferences(scratchServer: DatabaseURL? = nil, renames: SchemaRenames = SchemaRenames()) throws -> [SchemaDifference] {
        let (expected, found) = try drift(scratchServer: scratchServer)
        let flavor = try databaseURL().flavor
        do {
            return try diff(from: expected, to: found, flavor: flavor, renames: renames).changes.map(\.difference)
        } catch {
            throw SchemaComparisonError(subject: "the live schema and its migrations", reason: error)
        }
    }

    func introspect(_ database: any Database) throws -> Schema {
        guard let database = database as? any SchemaIntrospecting else {
            throw ConfigurationError("This database cannot read its own schema.")
        }
        let table = historyTable
        // The other tool's table, which Strata keeps beside its own, is bookkeeping too.
        let companion = history.map { _ in QualifiedName(schema: table.schema, CompanionHistory.defaultTable) }
        return try database.introspectSchema(namespaces: schemas, excluding: [QualifiedName(schema: table.schema, table.name)] + (companion.map { [$0] } ?? []))
    }

    /// Runs `body` on a scratch database of the configured PostgreSQL server that holds the
    /// live database's schema (the history table aside) and no rows, for experiments such as
    /// `strata lint --measure`; the scratch database is dropped afterwards.
    public func withSchemaCopy<T>(_ body: (any Database) throws -> T) throws -> T {
        let location = try databaseURL()
        guard case .postgres = location else {
            throw ConfigurationError("Copying a schema to measure needs a PostgreSQL database; \(location.display) is not one. Give --url postgresql://….")
        }
        var schema = try introspect(try open(location, create: false))
        // The scratch database already has the configured schemas.
        schema.namespaces.removeAll { schemas.contains($0) }
        let script = try diff(from: Schema(), to: schema, flavor: .postgresql).script()
        return try withScratch(on: location) { database in
            for statement in script.statements { try database.execute(statement.sql, []) }
            return try body(database)
        }
    }

    /// Runs `body` on an empty database of `server`'s engine that nothing else sees.
    func withScratch<T>(on server: DatabaseURL, _ body: (any Database) throws -> T) throws -> T {
        switch server {
        case .sqlite:
            return try body(try SQLiteDatabase(path: ":memory:"))
        case .postgres:
            guard let connection = try open(server, create: false) as? PostgresDatabase else {
                throw ConfigurationError("The scratch server must be a PostgreSQL URL.")
            }
            let scratch = try ScratchPostgresDatabase(on: connection)
            try scratch.database.createMissingSchemas()
            return try body(scratch.database)
        }
    }
}
