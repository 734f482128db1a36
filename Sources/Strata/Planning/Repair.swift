/// One change `repair` makes to the history table.
public enum RepairAction: Sendable, Equatable, CustomStringConvertible {
    /// Deletes a failed row, so the migration can run again.
    case removeFailed(HistoryEntry)
    /// Leaves the failed row of a rewritten migration that `migrate` continues: its first
    /// `stepsDone` steps are committed, and its file is the one they came from.
    case keepResumable(HistoryEntry, stepsDone: Int)
    /// Rewrites a row's checksum and description to match its file.
    case realign(HistoryEntry, checksum: Int32?, description: String)
    /// Adds a `DELETE` row for an applied migration whose file is gone.
    case markDeleted(HistoryEntry)

    /// The repair a plan's findings call for; ignored migrations need no repair.
    ///
    /// A failed rewritten migration whose steps already done are recorded, and whose file has not
    /// changed since (`resumable`: the steps done, by installed rank), keeps its row: `migrate`
    /// continues it, whereas run again from its first step it would meet what those steps made.
    static func actions(for plan: Plan, resumable: [Int: Int] = [:]) -> [RepairAction] {
        var actions: [RepairAction] = []
        var realigned: Set<Int> = []
        for finding in plan.findings {
            switch finding {
            case .failed(let entry):
                actions.append(resumable[entry.installedRank].map { .keepResumable(entry, stepsDone: $0) } ?? .removeFailed(entry))
            case .missing(let entry):
                actions.append(.markDeleted(entry))
            case .checksumChanged(let entry, let file), .descriptionChanged(let entry, let file):
                if realigned.insert(entry.installedRank).inserted {
                    actions.append(.realign(entry, checksum: file.checksum, description: file.description))
                }
            case .ignored, .contractBeforePendingExpand:
                continue
            }
        }
        return actions
    }

    /// What `strata repair` prints for the change.
    public var description: String {
        switch self {
        case .removeFailed(let entry):
            "Removed the failed entry for \(Self.name(entry)) (\(entry.script))"
        case .keepResumable(let entry, let done):
            "Kept the failed entry for \(Self.name(entry)) (\(entry.script)): its first \(done) step\(done == 1 ? " is" : "s are") committed, "
                + "and `strata migrate` continues it from there (run from its first step, it would meet what they made)"
        case .realign(let entry, let checksum, let description):
            "Realigned \(Self.name(entry)) with its file: checksum \(entry.checksum.map(String.init) ?? "none") → \(checksum.map(String.init) ?? "none")"
                + (description == entry.description ? "" : ", description \"\(entry.description)\" → \"\(description)\"")
        case .markDeleted(let entry):
            "Marked \(Self.name(entry)) (\(entry.script)) as deleted: its file is gone"
        }
    }

    private static func name(_ entry: HistoryEntry) -> String {
        if let version = entry.version { return "version \(version)" }
        return "repeatable \"\(entry.description)\""
    }
}
