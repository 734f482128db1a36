/// What `baseline` should do with the history it finds.
public enum BaselineDecision: Sendable, Equatable {
    /// A baseline marker was (or is to be) written: this row.
    case record(NewHistoryRow)
    /// The same baseline is already recorded: nothing to do.
    case alreadyRecorded(HistoryEntry)

    /// The description of a baseline marker when none is given.
    public static let defaultDescription = "<< Strata Baseline >>"

    static func decide(
        history: [HistoryEntry], version: MigrationVersion, description: String = defaultDescription
    ) throws(BaselineRefused) -> BaselineDecision {
        let applied = history.filter { $0.type != .schema }
        if let existing = applied.first(where: { $0.type == .baseline }) {
            guard existing.version == version, applied.count == 1 else {
                throw BaselineRefused(existing: applied)
            }
            return .alreadyRecorded(existing)
        }
        guard applied.isEmpty else { throw BaselineRefused(existing: applied) }
        return .record(NewHistoryRow(
            version: version, description: description, type: .baseline, script: description,
            checksum: nil, executionTime: 0, success: true))
    }
}

/// `baseline` only starts a history; it never rewrites one.
public struct BaselineRefused: StrataError, Equatable {
    /// The rows already in the history.
    public let existing: [HistoryEntry]
    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        let versions = existing.compactMap(\.version).map(\.text)
        let what = versions.isEmpty ? "\(existing.count) entries" : "versions \(versions.joined(separator: ", "))"
        return "Cannot baseline: the history table already holds \(what). A baseline can only start an empty history; use `strata info` to see what is applied."
    }
}
