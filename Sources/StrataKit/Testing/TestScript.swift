import Strata

/// Runs `strata test`'s own files: data checks statement by statement, so that a failure names
/// its line, and seeds.
enum TestScript {
    /// A statement of the file and its 1-based line.
    struct Statement {
        let line: Int
        let sql: String
    }

    /// The file's statements as its engine splits them.
    static func statements(of file: TestFile, engine: DatabaseURL) throws(MigrationTestFailure) -> [Statement] {
        switch engine {
        case .sqlite:
            do throws(ScriptError) {
                return try SQLiteScriptSplitter.split(file.sql).map { Statement(line: $0.line, sql: $0.text) }
            } catch {
                throw MigrationTestFailure(file: file.path, step: .dataCheck, message: "line \(error.line): \(error.message)")
            }
        case .postgres:
            do throws(PostgresScriptError) {
                return try PostgresScriptSplitter.split(file.sql).map { Statement(line: $0.line, sql: $0.text) }
            } catch {
                throw MigrationTestFailure(file: file.path, step: .dataCheck, message: error.description)
            }
        }
    }

    /// Checks each statement of a `T…` file: it must return no rows, or one row of one true
    /// column. Returns the failures, each naming the file and the statement's line.
    static func check(_ file: TestFile, on database: any Database, engine: DatabaseURL) -> [MigrationTestFailure] {
        let statements: [Statement]
        do throws(MigrationTestFailure) {
            statements = try self.statements(of: file, engine: engine)
        } catch {
            return [error]
        }
        var failures: [MigrationTestFailure] = []
        for statement in statements {
            func fail(_ message: String) {
                failures.append(MigrationTestFailure(file: file.path, step: .dataCheck, message: "line \(statement.line): \(message)"))
            }
            do {
                let rows = try database.query(statement.sql, [])
                if rows.isEmpty || (rows.count == 1 && rows[0].count == 1 && rows[0][0].bool == true) { continue }
                fail("expected true or no rows, got \(describe(rows))")
            } catch {
                fail("\(error)")
            }
        }
        return failures
    }

    /// Runs a seed file as a migration script runs.
    static func seed(_ file: TestFile, on database: any Database) throws(MigrationTestFailure) {
        do throws(ScriptError) {
            try database.executeScript(file.sql)
        } catch {
            throw MigrationTestFailure(file: file.path, step: .seed, message: "line \(error.line): \(error.message)")
        }
    }

    private static func literal(_ value: SQLValue) -> String {
        switch value {
        case .null: "NULL"
        case .text(let text): "'\(text)'"
        default: value.string ?? ""
        }
    }

    /// The first rows, as `(false)` or `(1, 'x'), (2, NULL)` and how many more.
    private static func describe(_ rows: [SQLRow]) -> String {
        let shown = rows.prefix(3).map { row in "(" + row.map(literal).joined(separator: ", ") + ")" }
        let more = rows.count > 3 ? " and \(rows.count - 3) more rows" : ""
        return shown.joined(separator: ", ") + more
    }
}
