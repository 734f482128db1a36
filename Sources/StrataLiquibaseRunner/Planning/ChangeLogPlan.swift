import StrataLiquibase

/// What a run does with one changeset of the changelog.
public enum ChangeSetDecision: Sendable, Equatable {
    /// Runs it (after its preconditions): `EXECUTED` the first time, `RERAN` for `runAlways`
    /// and for `runOnChange` after its checksum changed.
    case run(ExecType)
    /// Records it as run without running it: MARK_RAN for a custom change skipped on request,
    /// EXECUTED for `changelog-sync` and `mark-next-changeset-ran` (as Liquibase records them).
    case record(ExecType)
    /// Leaves it alone.
    case skip(SkipReason)
}

/// Why a changeset is left alone.
public enum SkipReason: Sendable, Equatable {
    case alreadyRan
    /// The run's contexts, labels or database leave it out; the text says which.
    case filtered(String)
    /// `ignore="true"`.
    case ignored
    /// Beyond the count or the tag the run was limited to.
    case beyondTarget
}

/// One changeset and what happens to it.
public struct PlannedChangeSet: Sendable, Equatable {
    /// Its position in the changelog.
    public let index: Int
    public let identity: ChangeSetIdentity
    public let decision: ChangeSetDecision
    /// Its current checksum, the one its row takes.
    public let checksum: String
}

/// Something the changelog and `DATABASECHANGELOG` disagree on, which stops a run before it starts.
public enum ChangeLogFinding: Sendable, Equatable, CustomStringConvertible {
    /// A changeset that ran has changed since, and may not run again.
    case checksumChanged(ChangeSetIdentity, location: String, stored: String, current: String)
    /// A changeset holds a Java `customChange`, which Strata cannot run.
    case customChange(ChangeSetIdentity, location: String, className: String)
    /// `update-to-tag` names a tag that no changeset writes and no row carries.
    case unknownTag(String)

    public var description: String {
        switch self {
        case .checksumChanged(let identity, let location, let stored, let current):
            "\(location): changeset \(identity) was changed after it ran (DATABASECHANGELOG holds checksum \(stored), the "
                + "changelog now gives \(current)). Put it back as it was and write the change as a new changeset; or, if the "
                + "edit is harmless, add <validCheckSum>\(current)</validCheckSum> to it, or runOnChange=\"true\" to run it again."
        case .customChange(let identity, let location, let className):
            "\(location): changeset \(identity) holds a customChange (\(className)), a Java class that Strata cannot run. "
                + "Rewrite it as SQL or change types, or pass --skip-custom-changes to record it as run (MARK_RAN) without running it."
        case .unknownTag(let tag):
            "No changeset writes the tag '\(tag)' (tagDatabase) and no DATABASECHANGELOG row carries it, so there is nowhere to "
                + "stop (Liquibase, unless --strict, would warn and run every changeset). Check the tag's spelling, or run without it."
        }
    }
}

/// The run's decisions, made before anything touches the database beyond reading its history.
public struct ChangeLogPlan: Sendable, Equatable {
    /// Every changeset of the changelog, in changelog order.
    public let changeSets: [PlannedChangeSet]
    /// Rows whose stored checksum stands in an older version (or was cleared), rewritten in the
    /// current one as Liquibase upgrades them: only for changesets the run's filters let through.
    public let checksumUpgrades: [ChecksumUpgrade]
    public let findings: [ChangeLogFinding]
    /// Rows no changeset of the changelog matches (applied from another changelog, or removed from this one).
    public let unknownRows: [ChangeLogRow]

    /// The changesets that will run or be marked ran, in order.
    public var steps: [PlannedChangeSet] {
        changeSets.filter(\.decision.isStep)
    }
}

/// A stored checksum rewritten in the current version.
public struct ChecksumUpgrade: Sendable, Equatable {
    public let identity: ChangeSetIdentity
    public let checksum: String

    public init(identity: ChangeSetIdentity, checksum: String) {
        self.identity = identity
        self.checksum = checksum
    }
}

/// The choices a run makes.
public struct ChangeLogPlanOptions: Sendable, Equatable {
    /// Records custom changes as MARK_RAN instead of refusing the run.
    public var skipCustomChanges: Bool
    /// At most this many changesets run (`update-count`, `mark-next-changeset-ran`).
    public var count: Int?
    /// Records every pending changeset as EXECUTED without running it (`changelog-sync`).
    public var markRanOnly: Bool
    /// Nothing after the changeset whose `tagDatabase` writes this tag, or whose row carries it, runs (`update-to-tag`).
    public var upToTag: String?

    public init(skipCustomChanges: Bool = false, count: Int? = nil, markRanOnly: Bool = false, upToTag: String? = nil) {
        self.skipCustomChanges = skipCustomChanges
        self.count = count
        self.markRanOnly = markRanOnly
        self.upToTag = upToTag
    }
}
