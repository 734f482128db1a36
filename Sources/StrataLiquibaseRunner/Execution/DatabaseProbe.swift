import Strata
import StrataLiquibase

/// Answers preconditions from the live database, in its own catalog's terms: PostgreSQL's
/// `information_schema` and `pg_catalog`, SQLite's `sqlite_master` and pragmas. Names compare
/// without regard to case, as Liquibase's snapshot lookups do.
struct DatabaseProbe: PreconditionProbe {
    let database: any Database
    /// The changelog's history as read at the start of the run, for `changeSetExecuted`.
    let rows: [ChangeLogRow]
    let properties: [String: String]
    /// Liquibase's short name for the engine (`postgresql`, `sqlite`).
    let databaseName: String

    private var isPostgres: Bool { database.dialect is PostgresDialect }

    func holds(_ condition: Precondition) throws -> Bool {
        switch condition {
        case .and, .or, .not:
            return try PreconditionEvaluator.holds(condition, self)
        case .tableExists(let schema, let table):
            return try relationExists(schema, table, postgresKinds: "'r','p'", sqliteType: "table")
        case .viewExists(let schema, let view):
            return try relationExists(schema, view, postgresKinds: "'v','m'", sqliteType: "view")
        case .sequenceExists(let schema, let sequence):
            return isPostgres ? try relationExists(schema, sequence, postgresKinds: "'S'", sqliteType: "") : false
        case .columnExists(let schema, let table, let column):
            return try columnExists(schema, table, column)
        case .indexExists(let schema, let table, let index, let columns):
            return try indexExists(schema, table, index, columns)
        case .primaryKeyExists(let schema, let table, let name):
            return try constraintExists(schema, table, name, postgresType: "p", sqlitePattern: "primary key")
        case .foreignKeyConstraintExists(let schema, let table, let name):
            return try constraintExists(schema, table, name, postgresType: "f", sqlitePattern: "foreign key")
        case .uniqueConstraintExists(let schema, let table, let name, _):
            return try constraintExists(schema, table, name, postgresType: "u", sqlitePattern: "unique")
        case .rowCount(let schema, let table, let expected):
            return try rowCount(schema, table) == expected
        case .tableIsEmpty(let schema, let table):
            return try rowCount(schema, table) == 0
        case .sqlCheck(let expected, let sql):
            return try sqlCheck(sql) == expected.trimmingWhitespace
        case .changeSetExecuted(let id, let author, let path):
            return rows.contains { $0.identity == ChangeSetIdentity(id: id, author: author, path: path) }
        case .changeLogPropertyDefined(let property, let value):
            guard let defined = properties[property] ?? properties.first(where: { $0.key.lowercased() == property.lowercased() })?.value
            else { return false }
            return value.map { $0 == defined } ?? true
        case .dbms(let types):
            return types.contains { $0.trimmingWhitespace.lowercased() == databaseName }
        case .runningAs(let username):
            guard let user = try database.sessionUser() else { throw ProbeError("\(databaseName) has no user for runningAs to compare") }
            return user.lowercased() == username.lowercased()
        case .expectedQuotingStrategy:
            // Strata renders names as Liquibase's default (LEGACY) strategy does.
            return true
        case .custom(let className, _):
            throw ProbeError("customPrecondition \(className) is a Java class that Strata cannot run")
        }
    }

    private func exists(_ sql: String, _ arguments: [SQLValue]) throws -> Bool {
        try !database.query(sql, arguments).isEmpty
    }

    private var namespace: String { "coalesce(\(database.dialect.parameter(1)), current_schema())" }

    private func relationExists(_ schema: String?, _ name: String, postgresKinds: String, sqliteType: String) throws -> Bool {
        if isPostgres {
            return try exists("""
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                WHERE lower(n.nspname) = lower(\(namespace)) AND lower(c.relname) = lower($2) AND c.relkind IN (\(postgresKinds))
                """, [optional(schema), .text(name)])
        }
        return try exists("SELECT 1 FROM \(sqliteMaster(schema)) WHERE type = ?1 AND lower(name) = lower(?2)", [.text(sqliteType), .text(name)])
    }

    private func columnExists(_ schema: String?, _ table: String, _ column: String) throws -> Bool {
        if isPostgres {
            return try exists("""
                SELECT 1 FROM information_schema.columns WHERE lower(table_schema) = lower(\(namespace)) \
                AND lower(table_name) = lower($2) AND lower(column_name) = lower($3)
                """, [optional(schema), .text(table), .text(column)])
        }
        guard let actual = try sqliteName(schema, table) else { return false }
        return try exists("SELECT 1 FROM pragma_table_info(?1\(schema == nil ? "" : ", ?3")) WHERE lower(name) = lower(?2)",
                          [.text(actual), .text(column)] + (schema.map { [.text($0)] } ?? []))
    }

    private func indexExists(_ schema: String?, _ table: String?, _ index: String?, _ columns: [String]) throws -> Bool {
        let wanted = columns.map { $0.trimmingWhitespace.lowercased() }.joined(separator: ",")
        if isPostgres {
            return try exists("""
                SELECT 1 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid \
                JOIN pg_namespace n ON n.oid = t.relnamespace WHERE lower(n.nspname) = lower(\(namespace)) \
                AND ($2::text IS NULL OR lower(t.relname) = lower($2)) AND ($3::text IS NULL OR lower(x.relname) = lower($3)) \
                AND ($4 = '' OR $4 = (SELECT string_agg(lower(a.attname), ',' ORDER BY k.ord) \
                FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum))
                """, [optional(schema), optional(table), optional(index), .text(wanted)])
        }
        let rows = try database.query("""
            SELECT lower(name), lower(tbl_name) FROM \(sqliteMaster(schema)) WHERE type = 'index' \
            AND (?1 IS NULL OR lower(tbl_name) = lower(?1)) AND (?2 IS NULL OR lower(name) = lower(?2))
            """, [optional(table), optional(index)])
        if wanted.isEmpty { return !rows.isEmpty }
        for row in rows {
            let names = try database.query("SELECT lower(name) FROM pragma_index_info(?1) ORDER BY seqno", [row[0]]).compactMap { $0.first?.string }
            if names.joined(separator: ",") == wanted { return true }
        }
        return false
    }

    private func constraintExists(_ schema: String?, _ table: String?, _ name: String?, postgresType: String, sqlitePattern: String) throws -> Bool {
        if isPostgres {
            return try exists("""
                SELECT 1 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
                WHERE lower(n.nspname) = lower(\(namespace)) AND c.contype = '\(postgresType)' \
                AND ($2::text IS NULL OR lower(t.relname) = lower($2)) AND ($3::text IS NULL OR lower(c.conname) = lower($3))
                """, [optional(schema), optional(table), optional(name)])
        }
        // SQLite keeps constraint names only in the table's CREATE statement.
        let tables = try database.query("""
            SELECT lower(sql) FROM \(sqliteMaster(schema)) WHERE type = 'table' AND (?1 IS NULL OR lower(name) = lower(?1))
            """, [optional(table)]).compactMap { $0.first?.string }
        return tables.contains { sql in
            guard let name else { return sql.contains(sqlitePattern) }
            let lowered = name.lowercased()
            return ["constraint \(lowered) ", "constraint \"\(lowered)\" ", "constraint `\(lowered)` "].contains { sql.contains($0) }
        }
    }

    private func rowCount(_ schema: String?, _ table: String) throws -> Int {
        try database.query("SELECT count(*) FROM \(database.dialect.qualified(TableName(schema: schema, name: table)))", []).first?.first?.int ?? 0
    }

    private func sqlCheck(_ sql: String) throws -> String {
        var query = sql.trimmingWhitespace
        while query.hasSuffix(";") { query = String(query.dropLast()).trimmingWhitespace }
        return try database.query(query, []).first?.first?.string?.trimmingWhitespace ?? ""
    }

    private func sqliteMaster(_ schema: String?) -> String {
        schema.map { database.dialect.quote($0) + ".sqlite_master" } ?? "sqlite_master"
    }

    /// The table's name as stored, for pragmas, which match names exactly.
    private func sqliteName(_ schema: String?, _ table: String) throws -> String? {
        try database.query("SELECT name FROM \(sqliteMaster(schema)) WHERE type IN ('table', 'view') AND lower(name) = lower(?1)",
                           [.text(table)]).first?.first?.string
    }

    private func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
}

/// A precondition that could not be checked; its `onError` decides what follows.
struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
