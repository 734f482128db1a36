/// How far `undo` goes back.
public enum UndoRequest: Sendable, Equatable {
    /// The newest `count` applied versions.
    case count(Int)
    /// Every applied version above this one.
    case target(MigrationVersion)
}

/// Decides which down scripts `undo` runs: the applied versioned migrations, newest applied
/// first, each paired with its down script. Refuses, naming them, when any lacks one.
enum UndoPlanner {
    static func plan(catalog: Catalog, history: [HistoryEntry], request: UndoRequest) throws(UndoRefused) -> [PlannedStep] {
        let plan = Planner.plan(catalog: catalog, history: history)
        let applied = plan.infos
            .compactMap { info in info.applied.map { (info, $0) } }
            .filter { info, entry in
                entry.success && entry.version != nil && info.kind == .versioned
                    && [.success, .outOfOrder, .missing, .future].contains(info.state)
            }
            .sorted { $0.1.installedRank > $1.1.installedRank }
        let chosen = switch request {
        case .count(let count): Array(applied.prefix(count))
        case .target(let version): applied.filter { $0.1.version! > version }
        }
        let lacking = chosen.filter { catalog.undo(for: $0.1.version!) == nil }.map(\.1)
        guard lacking.isEmpty else { throw UndoRefused(lacking: lacking) }
        return chosen.map { chosen in
            let undo = catalog.undo(for: chosen.1.version!)!
            return PlannedStep(migration: undo, type: .of(undo), reason: .undo)
        }
    }
}

/// `undo` checks every step before touching anything.
public struct UndoRefused: StrataError, Equatable {
    /// The applied migrations that have no down script.
    public let lacking: [HistoryEntry]

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        let names = lacking.map { "version \($0.version!) (\($0.script))" }.joined(separator: ", ")
        return "Nothing was undone: \(names) \(lacking.count == 1 ? "has" : "have") no down script. "
            + "Add a U<version>__<description>.sql file (or a .down.sql file, or a `-- migrate:down` section), or undo fewer migrations."
    }
}
