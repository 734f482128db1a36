/// PostgreSQL's table lock modes, weakest first, by the names its documentation gives them.
public enum LockMode: String, Sendable, Equatable, Comparable, Codable, CaseIterable {
    case accessShare = "ACCESS SHARE"
    case rowShare = "ROW SHARE"
    case rowExclusive = "ROW EXCLUSIVE"
    case shareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"
    case share = "SHARE"
    case shareRowExclusive = "SHARE ROW EXCLUSIVE"
    case exclusive = "EXCLUSIVE"
    case accessExclusive = "ACCESS EXCLUSIVE"

    /// Weaker before stronger, in the order of the cases.
    public static func < (left: LockMode, right: LockMode) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}

/// What a statement makes PostgreSQL do to every row of the table while it holds the lock.
public enum TableWork: String, Sendable, Equatable, Codable {
    /// Reads every row (a constraint checked, an index built).
    case scan
    /// Writes the relation's storage anew (a new `relfilenode`, which `lint --measure` checks):
    /// a copy of the table and its indexes, a rebuilt index, or TRUNCATE's empty file.
    case rewrite
}
