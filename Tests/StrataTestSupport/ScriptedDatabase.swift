import Foundation
import Strata

/// A ``Database`` test double: it passes everything to a real database (an in-memory SQLite,
/// say) and lets a test script what a server would do to the executor, with no server and no
/// sleeping: statements that time out on a lock, another process writing the history between
/// two transactions, and a record of every statement sent, rendered as a dry run renders it.
public final class ScriptedDatabase: Database {
    public let inner: any Database
    public let dialect: any SQLDialect
    /// Every statement sent, in order, with its parameters as literals; transaction
    /// boundaries as `BEGIN`/`COMMIT`/`ROLLBACK`.
    public var log: [String] { entries.filter { !$0.isQuery }.map(\.text) }
    /// Everything sent, queries included, in order, with transaction boundaries as
    /// `BEGIN`/`COMMIT`/`ROLLBACK`: what the server saw between them.
    public var sent: [String] { entries.map(\.text) }
    private var entries: [(text: String, isQuery: Bool)] = []
    /// Scripts containing the key fail with a lock timeout, as many times as its value says.
    public var lockTimeouts: [String: Int] = [:]
    /// The blocking transactions a scripted lock timeout names; when set, retries wait for them
    /// (``waits`` records each wait) instead of backing off.
    public var blockers: [LockBlocker] = []
    public private(set) var waits: [[LockBlocker]] = []
    /// Called before the n-th transaction opens (1-based): where another process acts.
    public var beforeTransaction: [Int: () throws -> Void] = [:]
    /// Whether the migration lock alone keeps other runs out (PostgreSQL's advisory lock
    /// does); false makes the executor check the history in every transaction, as on SQLite.
    public var migrationLockExcludesOtherRuns: Bool
    private var transactions = 0
    private var depth = 0

    /// - Parameters:
    ///   - scriptedTimeouts: log timeout statements without sending them and treat scripted
    ///     failures as lock timeouts (the wrapped engine's own dialect when false).
    ///   - excludesOtherRuns: see ``migrationLockExcludesOtherRuns``.
    public init(wrapping inner: any Database, scriptedTimeouts: Bool = true, excludesOtherRuns: Bool = false) {
        self.inner = inner
        self.dialect = scriptedTimeouts ? ScriptedDialect(inner: inner.dialect) : inner.dialect
        self.migrationLockExcludesOtherRuns = excludesOtherRuns
    }

    /// The log as a script, written the way a dry run writes one.
    public var script: String {
        log.map { entry in entry.hasSuffix(";") ? entry + "\n" : entry + ";\n" }.joined()
    }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        record(dialect.render(SQLStatement(sql, arguments)))
        guard !sql.hasPrefix(ScriptedDialect.timeoutMarker) else { return }
        try inner.execute(sql, arguments)
    }

    public func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        record(sql, isQuery: true)
        return try inner.query(sql, arguments)
    }

    public func executeScript(_ sql: String) throws(ScriptError) {
        record(SQLText.trimmed(sql))
        if let key = lockTimeouts.keys.first(where: { sql.contains($0) }), let left = lockTimeouts[key], left > 0 {
            lockTimeouts[key] = left - 1
            throw ScriptError(line: 1, statement: SQLText.firstLine(of: sql), message: "canceling statement due to lock timeout",
                              code: ScriptedDialect.lockTimeoutCode, blockedBy: "pid 42 (scripted)", blockers: blockers)
        }
        try inner.executeScript(sql)
    }

    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        guard depth == 0 else { return try body() }
        transactions += 1
        try beforeTransaction[transactions]?()
        record(dialect.beginTransaction)
        depth += 1
        defer { depth -= 1 }
        do {
            let result = try inner.inTransaction(body)
            record("COMMIT")
            return result
        } catch {
            record("ROLLBACK")
            throw error
        }
    }

    public func withMigrationLock<T>(for table: TableName, _ body: () throws -> T) throws -> T {
        try inner.withMigrationLock(for: table, body)
    }

    private func record(_ text: String, isQuery: Bool = false) {
        entries.append((text, isQuery))
    }

    public func tableExists(_ table: TableName) throws -> Bool { try inner.tableExists(table) }
    public func userObjectCount(excluding table: TableName) throws -> Int { try inner.userObjectCount(excluding: table) }
    public func leftovers(ofFailedScript sql: String) throws -> [Leftover] { try inner.leftovers(ofFailedScript: sql) }
    public func sessionUser() throws -> String? { try inner.sessionUser() }
    public func waitForEnd(of blockers: [LockBlocker], upTo limit: Duration) throws -> Bool {
        waits.append(blockers)
        return true
    }
    public func dropEverything(inSchemas schemas: [String]) throws -> [String] { try inner.dropEverything(inSchemas: schemas) }
}

/// The wrapped engine's dialect, with lock timeouts a scripted failure can raise and
/// `SET`-like statements the double logs without sending.
struct ScriptedDialect: SQLDialect {
    static let lockTimeoutCode = "scripted-lock-timeout"
    static let timeoutMarker = "-- scripted "
    let inner: any SQLDialect

    var name: String { inner.name }
    func parameter(_ index: Int) -> String { inner.parameter(index) }
    func createHistoryTable(_ table: TableName) -> [String] { inner.createHistoryTable(table) }
    func installedOnAsText(_ column: String) -> String { inner.installedOnAsText(column) }
    func analyze(_ script: String) throws(ScriptError) -> ScriptAnalysis { try inner.analyze(script) }
    func setLockTimeout(milliseconds: Int) -> String? { Self.timeoutMarker + "lock_timeout = \(milliseconds)" }
    func setStatementTimeout(milliseconds: Int) -> String? { Self.timeoutMarker + "statement_timeout = \(milliseconds)" }
    func isLockTimeout(_ error: ScriptError) -> Bool { error.code == Self.lockTimeoutCode }
    func booleanLiteral(_ value: Bool) -> String { inner.booleanLiteral(value) }
    var beginTransaction: String { inner.beginTransaction }
    var durableCommit: String? { inner.durableCommit }
}

/// Scripts compared statement by statement: comments and blank lines dropped, and the
/// measured execution times in history statements replaced, since no two runs agree on them.
public enum ScriptComparison {
    public static func lines(of script: String) -> [String] {
        script.split(separator: "\n").map { SQLText.trimmed($0) }
            .filter { !$0.isEmpty && !$0.hasPrefix("--") }
            .map { line in
                var text = line
                if let range = text.range(of: #", \d+, (true|false|1|0)\);"#, options: .regularExpression) {
                    let flag = text[range].split(separator: ",").last!.dropLast(2)
                    text.replaceSubrange(range, with: ", <ms>,\(flag));")
                }
                if let range = text.range(of: #"execution_time = \d+"#, options: .regularExpression) {
                    text.replaceSubrange(range, with: "execution_time = <ms>")
                }
                return text
            }
    }
}
