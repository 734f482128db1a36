/// How far `migrate` may go.
public enum MigrationTarget: Sendable, Equatable {
    case latest
    case version(MigrationVersion)

    /// Parses `latest` or a version, as given to `--target`.
    public init?(_ text: String) {
        if text.lowercased() == "latest" {
            self = .latest
        } else if let version = MigrationVersion(text) {
            self = .version(version)
        } else {
            return nil
        }
    }

    func allows(_ version: MigrationVersion) -> Bool {
        switch self {
        case .latest: true
        case .version(let target): version <= target
        }
    }
}

/// The choices that change what the planner decides.
public struct PlanOptions: Sendable, Equatable {
    public var target: MigrationTarget
    /// Apply pending versions that are older than the newest applied one instead of ignoring them.
    public var outOfOrder: Bool

    public init(target: MigrationTarget = .latest, outOfOrder: Bool = false) {
        self.target = target
        self.outOfOrder = outOfOrder
    }
}

/// One line of `strata info`: a migration from the files, a row from the history, or both.
public struct MigrationInfo: Sendable, Equatable {
    public let kind: Migration.Kind
    public let version: MigrationVersion?
    public let description: String
    /// The history type it was applied as, or will be applied as.
    public let type: HistoryType
    public let script: String
    /// The applied checksum where there is a history row, the file's otherwise.
    public let checksum: Int32?
    public let state: MigrationState
    public let applied: HistoryEntry?
    /// Whether an undo script exists for it.
    public let undoable: Bool
}

/// A migration `migrate` will run, and how it will be recorded.
public struct PlannedStep: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case pending
        /// Older than the newest applied version; runs because out-of-order is allowed.
        case outOfOrder
        /// A repeatable migration whose file changed.
        case outdated
        /// A `B` migration that stands in for the versions it covers on an empty database.
        case baselineMigration
    }

    public let migration: Migration
    public let type: HistoryType
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

    /// Findings that stop `migrate`: all but ignored migrations, which it skips with a warning.
    public var blockingFindings: [Finding] {
        findings.filter { if case .ignored = $0 { false } else { true } }
    }
}
