/// A root changelog with everything it includes, read into changesets in run order, with
/// `${…}` properties replaced. Reading touches files only; nothing here needs a database.
public struct LiquibaseChangelog: Sendable, Hashable {
    /// The root file, as given.
    public var path: String
    /// Every changeset in the order Liquibase runs them (includes expanded in place,
    /// `runOrder` applied).
    public var changeSets: [ChangeSet]
    /// Changelog-level `<preConditions>` of the root and of every included changelog, in order.
    public var preconditions: [Preconditions]
    /// The properties in force after reading (global ones, and those of the root).
    public var properties: [String: String]

    public init(path: String, changeSets: [ChangeSet], preconditions: [Preconditions] = [], properties: [String: String] = [:]) {
        self.path = path
        self.changeSets = changeSets
        self.preconditions = preconditions
        self.properties = properties
    }
}
