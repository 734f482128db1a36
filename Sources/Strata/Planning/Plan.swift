/// How far `migrate` may go.
public enum MigrationTarget: Sendable, Equatable, CustomStringConvertible {
    /// Every pending migration.
    case latest
    /// Versions up to and including this one.
    case version(MigrationVersion)
    /// No version above the current one (repeatables, and older versions with out-of-order).
    case current
    /// The next `count` pending versions: `next` is 1, `+3` is 3.
    case next(count: Int)

    /// Parses `--target`: `latest`, `current`, `next`, `+N` or a version.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "latest": self = .latest
        case "current": self = .current
        case "next": self = .next(count: 1)
        default:
            if text.hasPrefix("+"), let count = Int(text.dropFirst()), count > 0 {
                self = .next(count: count)
            } else if let version = MigrationVersion(text) {
                self = .version(version)
            } else {
                return nil
            }
        }
    }

    /// Whether a pending version may run, given the current version.
    func allows(_ version: MigrationVersion, current: MigrationVersion?) -> Bool {
        switch self {
        case .latest, .next: true
        case .version(let target): version <= target
        case .current: current.map { version <= $0 } ?? false
        }
    }

    /// The target as `--target` takes it: `latest`, `current`, `next`, `+N` or a version.
    public var description: String {
        switch self {
        case .latest: "latest"
        case .version(let version): version.text
        case .current: "current"
        case .next(let count): count == 1 ? "next" : "+\(count)"
        }
    }

    /// The target a re-plan uses after this one chose `steps`: `+N` becomes the highest version
    /// it chose, so a run that plans again after another process wrote the history never
    /// applies more than the N it first meant to.
    func pinned(to steps: [PlannedStep]) -> MigrationTarget {
        guard case .next = self else { return self }
        return steps.compactMap(\.migration.version).max().map { .version($0) } ?? .current
    }

    /// How many pending versions may run at most.
    var stepLimit: Int? {
        if case .next(let count) = self { count } else { nil }
    }
}

/// The choices that change what the planner decides.
public struct PlanOptions: Sendable, Equatable {
    /// How far `migrate` goes; the default is every pending migration.
    public var target: MigrationTarget
    /// Apply pending versions that are older than the newest applied one instead of ignoring them.
    public var outOfOrder: Bool
    /// Apply contract migrations too; without it, `migrate` stops before the first one.
    public var contract: Bool

    /// The defaults apply every pending expand migration (stopping before the first contract
    /// one) and ignore, with a warning, versions older than the newest applied one.
    public init(target: MigrationTarget = .latest, outOfOrder: Bool = false, contract: Bool = false) {
        self.target = target
        self.outOfOrder = outOfOrder
        self.contract = contract
    }
}

/// One line of `strata info`: a migration from the files, a row from the history, or both.
///
/// Points at the row, or at the file where there is no row, and reads the rest from it: `info`
/// keeps one of these per migration, and a copy of the row or file in each line was 1.6 MB of
/// the plan at 10,000 migrations (160 bytes a line, 24 now).
public struct MigrationInfo: Sendable, Equatable {
    /// Where the line's facts come from: the history row when there is one. A position in
    /// ``PlanSources``, which every line of a plan shares.
    enum Source: Sendable, Equatable {
        case row(Int32)
        case file(Migration.Kind, Int32)
    }

    /// The kind of migration, taken from the file or the history row.
    public let kind: Migration.Kind
    /// Where it stands.
    public let state: MigrationState
    /// Whether an undo script exists for it.
    public let undoable: Bool
    let source: Source
    let sources: PlanSources

    init(kind: Migration.Kind, state: MigrationState, undoable: Bool, source: Source, in sources: PlanSources) {
        self.kind = kind
        self.state = state
        self.undoable = undoable
        self.source = source
        self.sources = sources
    }

    /// The history row, for an applied (or failed, undone, deleted) migration; nil when pending.
    public var applied: HistoryEntry? {
        if case .row(let index) = source { sources.rows[Int(index)] } else { nil }
    }
    /// The file of a line without a history row.
    var file: Migration? {
        if case .file(let kind, let index) = source { sources.catalog.files(of: kind)[Int(index)] } else { nil }
    }
    /// Nil for repeatable migrations.
    public var version: MigrationVersion? {
        switch source {
        case .row(let index): sources.rows[Int(index)].version
        case .file(let kind, let index): sources.catalog.files(of: kind)[Int(index)].version
        }
    }
    /// The applied description where there is a history row, the file's otherwise.
    public var description: String {
        switch source {
        case .row(let index): sources.rows[Int(index)].description
        case .file(let kind, let index): sources.catalog.files(of: kind)[Int(index)].description
        }
    }
    /// The history type it was applied as, or will be applied as.
    public var type: HistoryType {
        switch source {
        case .row(let index): sources.rows[Int(index)].type
        case .file(let kind, let index): .of(sources.catalog.files(of: kind)[Int(index)])
        }
    }
    /// The script as the history records it (or will).
    public var script: String {
        switch source {
        case .row(let index): sources.rows[Int(index)].script
        case .file(let kind, let index): sources.catalog.files(of: kind)[Int(index)].script
        }
    }
    /// The applied checksum where there is a history row, the file's otherwise.
    public var checksum: Int32? {
        switch source {
        case .row(let index): sources.rows[Int(index)].checksum
        case .file(let kind, let index): sources.catalog.files(of: kind)[Int(index)].checksum
        }
    }
    /// The rank of its history row; nil when pending.
    var installedRank: Int? {
        if case .row(let index) = source { sources.rows[Int(index)].installedRank } else { nil }
    }

    /// Lines are equal when they say the same, whichever plan they belong to.
    public static func == (left: MigrationInfo, right: MigrationInfo) -> Bool {
        left.kind == right.kind && left.state == right.state && left.undoable == right.undoable
            && left.applied == right.applied && left.file == right.file
    }
}

/// The history rows and the catalog that a plan's lines point into, held once per plan.
final class PlanSources: Sendable {
    let rows: [HistoryEntry]
    let catalog: Catalog

    init(rows: [HistoryEntry], catalog: Catalog) {
        self.rows = rows
        self.catalog = catalog
    }
}

/// A migration `migrate` will run, and how it will be recorded.
public struct PlannedStep: Sendable, Equatable {
    /// Why a step runs.
    public enum Reason: Sendable, Equatable {
        /// Not applied yet.
        case pending
        /// Older than the newest applied version; runs because out-of-order is allowed.
        case outOfOrder
        /// A repeatable migration whose file changed.
        case outdated
        /// A `B` migration that stands in for the versions it covers on an empty database.
        case baselineMigration
        /// A down script that reverts an applied version.
        case undo
    }

    /// What runs: a migration, or the down script of one for `undo`.
    public let migration: Migration
    /// How its history row is recorded.
    public let type: HistoryType
    /// Why it runs.
    public let reason: Reason
}

/// What the planner decided for one catalog, one history and one set of options.
public struct Plan: Sendable, Equatable {
    /// Every migration and its state: versioned ones by version, then repeatable ones.
    public let infos: [MigrationInfo]
    /// What `migrate` runs, in order.
    public let steps: [PlannedStep]
    /// Everything `validate` reports.
    public let findings: [Finding]
    /// The newest successfully applied version, if any.
    public let currentVersion: MigrationVersion?
    /// Pending versions held back for `migrate --contract`: the first contract migration and
    /// every version after it.
    public var awaitingContract: [Migration] = []

    /// Findings that stop `migrate`: all but ignored migrations, which it skips with a warning.
    public var blockingFindings: [Finding] {
        findings.filter { if case .ignored = $0 { false } else { true } }
    }
}
