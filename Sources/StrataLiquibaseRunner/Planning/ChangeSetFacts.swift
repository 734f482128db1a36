import StrataLiquibase

/// What the planner needs to know of one changeset, taken from the changelog once, so that
/// every decision about it is a pure function of values.
public struct ChangeSetFacts: Sendable, Equatable {
    public var identity: ChangeSetIdentity
    /// `file:line` of the changeset, for messages.
    public var location: String
    /// The current (V9) checksum, `9:…`.
    public var checksum: String
    /// The V8 checksum, to recognise a row Liquibase 3.5–4.21 wrote.
    public var checksumV8: String?
    /// Its `validCheckSum` entries (`ANY` accepts every stored value).
    public var validCheckSums: [String]
    public var runOnChange: Bool
    public var runAlways: Bool
    /// `ignore="true"`.
    public var ignored: Bool
    /// Why the run's contexts, labels or database leave it out (`context "test"`); nil when they do not.
    public var filteredOut: String?
    /// The Java class of its first `customChange`, which Strata cannot run.
    public var customChange: String?
    /// The tag its `tagDatabase` change writes, where `update-to-tag` stops.
    public var tag: String?

    public init(identity: ChangeSetIdentity, location: String, checksum: String, checksumV8: String? = nil,
                validCheckSums: [String] = [], runOnChange: Bool = false, runAlways: Bool = false, ignored: Bool = false,
                filteredOut: String? = nil, customChange: String? = nil, tag: String? = nil) {
        self.identity = identity
        self.location = location
        self.checksum = checksum
        self.checksumV8 = checksumV8
        self.validCheckSums = validCheckSums
        self.runOnChange = runOnChange
        self.runAlways = runAlways
        self.ignored = ignored
        self.filteredOut = filteredOut
        self.customChange = customChange
        self.tag = tag
    }

    /// Whether a stored checksum still stands for this changeset: equal in its own version,
    /// listed in `validCheckSum`, or cleared (`clear-checksums` leaves NULL, refilled on the next run).
    func accepts(stored: String?) -> Bool {
        guard let stored else { return true }
        if stored == checksum || stored == checksumV8 { return true }
        let hash = stored.split(separator: ":").last.map(String.init)
        return validCheckSums.contains { $0.uppercased() == "ANY" || $0 == stored || (!$0.contains(":") && $0 == hash) }
    }
}
