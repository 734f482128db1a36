/// One lock a statement took on a relation that existed before it, read from `pg_locks`.
public struct MeasuredLock: Sendable, Equatable, Codable {
    /// The relation, schema-qualified unless it is in `public`.
    public let relation: String
    /// `table`, `index`, `sequence`, `view`, `materialized view`, `partitioned table`, …
    public let kind: String
    public let mode: LockMode

    public init(relation: String, kind: String, mode: LockMode) {
        self.relation = relation
        self.kind = kind
        self.mode = mode
    }
}

/// Where a lint rule and the measurement of the same statement disagree: the measurement wins.
public struct MeasuredDisagreement: Sendable, Equatable, Codable {
    /// The rule whose finding the measurement corrects.
    public let rule: String
    /// What the rule says, and what PostgreSQL did, in one sentence.
    public let message: String
}

/// What one migration statement did to a scratch copy of the target's schema.
public struct MeasuredStatement: Sendable, Equatable, Codable {
    /// How far the statement could be measured.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Run in a transaction of its own; `locks` and `rewritten` are what it did.
        case measured
        /// PostgreSQL refuses it inside a transaction (CONCURRENTLY, VACUUM, …): it ran on its
        /// own, and its locks were gone before `pg_locks` could be read.
        case outsideTransaction = "outside-transaction"
        /// PostgreSQL refused it; `error` says why.
        case failed
    }

    public let path: String
    public let line: Int
    /// The statement, as written.
    public let sql: String
    public let status: Status
    /// The locks it held on relations that existed before it, strongest first.
    public let locks: [MeasuredLock]
    /// The relations whose `relfilenode` it changed: their data was written anew.
    public let rewritten: [String]
    /// PostgreSQL's message, for a statement that failed.
    public let error: String?
    /// The lint findings on this statement that the measurement contradicts.
    public var disagreements: [MeasuredDisagreement] = []

    public init(path: String, line: Int, sql: String, status: Status, locks: [MeasuredLock] = [], rewritten: [String] = [], error: String? = nil) {
        self.path = path
        self.line = line
        self.sql = sql
        self.status = status
        self.locks = locks
        self.rewritten = rewritten
        self.error = error
    }

    /// The strongest lock it took on `relation` (as a statement names it: `t`, `public.t`, `"T"`).
    public func strongestLock(on relation: String) -> LockMode? {
        let wanted = Self.bareName(relation)
        return locks.filter { Self.bareName($0.relation) == wanted }.map(\.mode).max()
    }

    /// Whether it rewrote `relation`.
    public func rewrote(_ relation: String) -> Bool {
        rewritten.contains { Self.bareName($0) == Self.bareName(relation) }
    }

    /// A relation's name without its schema and quotes, lower-cased unless quoted.
    static func bareName(_ name: String) -> String {
        let last = name.split(separator: ".").last.map(String.init) ?? name
        return last.hasPrefix("\"") ? String(last.dropFirst().dropLast()) : last.lowercased()
    }
}

extension LockMode {
    /// The mode as `pg_locks.mode` names it (`AccessExclusiveLock`).
    public init?(pgLocksName name: String) {
        guard let mode = LockMode.allCases.first(where: { $0.pgLocksName == name }) else { return nil }
        self = mode
    }

    /// `pg_locks.mode`'s spelling: the words run together, with `Lock` at the end.
    public var pgLocksName: String {
        rawValue.split(separator: " ").map { $0.prefix(1) + $0.dropFirst().lowercased() }.joined() + "Lock"
    }
}
