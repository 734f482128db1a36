import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server for the test suites, started once per test process by
/// `scripts/test-postgres.sh` and stopped when the process exits. Each test makes its own
/// database on it, so suites run in parallel without seeing each other.
///
/// Where PostgreSQL is not installed the suites that need it skip, saying so; under CI
/// (`CI=true`) ``requiredButMissing`` turns that into a failure.
public final class TestPostgres: @unchecked Sendable {
    public let socketDirectory: String
    public let port: Int
    /// The CA that signed the server's certificate for `localhost`.
    public let certificateAuthority: String
    public let passwordRole: String
    public let password: String
    private let lock = NSLock()
    private var databases = 0

    public static let shared: TestPostgres? = start()
    public static var available: Bool { shared != nil }
    /// Why the server could not start, when it could not.
    nonisolated(unsafe) public private(set) static var startFailure: String?

    public static var requiredButMissing: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" && !available
    }

    private init(settings: [String: String]) {
        socketDirectory = settings["PGTEST_SOCKET"]!
        port = Int(settings["PGTEST_PORT"]!)!
        certificateAuthority = settings["PGTEST_CA"]!
        passwordRole = settings["PGTEST_PASSWORD_ROLE"]!
        password = settings["PGTEST_PASSWORD"]!
    }

    /// A URL for the superuser over the Unix socket (no password).
    public func url(database: String) -> String {
        "postgresql://postgres@/\(database)?host=\(socketDirectory)&port=\(port)"
    }

    /// A URL for the password role over TCP with TLS.
    public func passwordURL(database: String, password: String? = nil, sslmode: String = "require") -> String {
        "postgresql://\(passwordRole):\(password ?? self.password)@localhost:\(port)/\(database)?sslmode=\(sslmode)&sslrootcert=\(certificateAuthority)"
    }

    /// A URL over TCP without TLS (`sslmode=disable`) for `role`: `strata_pw` logs in with
    /// SCRAM-SHA-256, `strata_md5` with MD5, `strata_clear` with a cleartext password.
    public func plainURL(database: String, role: String, password: String? = nil) -> String {
        "postgresql://\(role):\(password ?? self.password)@localhost:\(port)/\(database)?sslmode=disable"
    }

    /// Creates an empty database with a name of its own and returns the name.
    public func createDatabase() throws -> String {
        let name = lock.withLock {
            databases += 1
            return "t\(ProcessInfo.processInfo.processIdentifier)_\(databases)"
        }
        try psql("CREATE DATABASE \(name)")
        return name
    }

    /// Runs SQL through `psql` as the superuser and returns its unaligned output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres", arguments: [String] = []) throws -> String {
        let result = try Self.run("psql", ["-h", socketDirectory, "-p", String(port), "-U", "postgres", "-d", database,
                                           "-qAtX", "-v", "ON_ERROR_STOP=1"] + arguments + ["-c", sql])
        guard result.status == 0 else { throw TestPostgresError(message: "psql failed: \(result.error)") }
        return result.output
    }

    /// Runs `psql -f file` as the superuser, as a DBA would apply a script.
    public func psqlFile(_ path: String, database: String) throws {
        let result = try Self.run("psql", ["-h", socketDirectory, "-p", String(port), "-U", "postgres", "-d", database,
                                           "-qX", "-v", "ON_ERROR_STOP=1", "-f", path])
        guard result.status == 0 else { throw TestPostgresError(message: "psql -f \(path) failed: \(result.error)") }
    }

    /// `pg_dump --schema-only` of a database, without the lines that name the database itself.
    public func schemaDump(_ database: String, excludingTable: String? = nil) throws -> String {
        var arguments = ["-h", socketDirectory, "-p", String(port), "-U", "postgres", "--schema-only", "--no-owner", database]
        if let excludingTable { arguments += ["--exclude-table", excludingTable] }
        let result = try Self.run("pg_dump", arguments)
        guard result.status == 0 else { throw TestPostgresError(message: "pg_dump failed: \(result.error)") }
        return result.output.split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.contains("\\restrict") && !$0.contains("\\unrestrict") }.joined(separator: "\n")
    }

    /// A streaming replica of this server (`pg_basebackup`), started on first use and stopped
    /// with the server: its socket directory and port.
    public func streamingReplica() throws -> (socketDirectory: String, port: Int) {
        try lock.withLock {
            if let replica { return replica }
            guard let root = Self.root, let script = Self.scriptPath() else { throw TestPostgresError(message: "the test server was not started by scripts/test-postgres.sh") }
            let result = try Self.run(script, ["replica", root])
            guard result.status == 0 else { throw TestPostgresError(message: "the replica did not start: \(result.error)") }
            let settings = Dictionary(result.output.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }) { $1 }
            guard let socket = settings["PGREPLICA_SOCKET"], let port = settings["PGREPLICA_PORT"].flatMap(Int.init) else {
                throw TestPostgresError(message: "the replica script printed no socket and port: \(result.output)")
            }
            replica = (socket, port)
            return (socket, port)
        }
    }

    private var replica: (socketDirectory: String, port: Int)?

    /// Runs SQL through `psql` on the replica.
    @discardableResult
    public func psqlOnReplica(_ sql: String) throws -> String {
        let (socket, port) = try streamingReplica()
        let result = try Self.run("psql", ["-h", socket, "-p", String(port), "-U", "postgres", "-d", "postgres", "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard result.status == 0 else { throw TestPostgresError(message: "psql on the replica failed: \(result.error)") }
        return result.output
    }

    // MARK: Starting and stopping

    nonisolated(unsafe) private static var root: String?

    private static func start() -> TestPostgres? {
        guard let script = scriptPath() else {
            startFailure = "scripts/test-postgres.sh not found"
            return nil
        }
        let directory = "/tmp/strata-test-pg-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            let result = try run(script, ["start", directory])
            guard result.status == 0 else {
                startFailure = "PostgreSQL did not start: \(result.error)"
                return nil
            }
            root = directory
            atexit {
                if let root = TestPostgres.root, let script = TestPostgres.scriptPath() {
                    _ = try? TestPostgres.run(script, ["stop", root])
                }
            }
            var settings: [String: String] = [:]
            for line in result.output.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { settings[parts[0]] = parts[1] }
            }
            return TestPostgres(settings: settings)
        } catch {
            startFailure = "\(error)"
            return nil
        }
    }

    private static func scriptPath() -> String? {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = packageRoot.appendingPathComponent("scripts/test-postgres.sh").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs a command to its exit with `posix_spawn` and `waitpid`. Foundation's `Process`
    /// is avoided on purpose: from inside this type's one-time initializer its termination
    /// was never noticed (a zombie child and a hung test run), and a server the command starts
    /// would inherit pipes and keep them open; output goes through files instead.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let base = NSTemporaryDirectory() + "strata-run-\(UUID().uuidString)"
        defer {
            unlink(base + ".out")
            unlink(base + ".err")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestPostgresError(message: "cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let error = FileManager.default.contents(atPath: base + ".err") ?? Data()
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exitStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
