/// Another tool's history table that Strata keeps up to date beside its own (the `history`
/// setting), so that the tool can take the database over again at any time and migrations
/// written for it that touch its table keep working.
public enum CompanionHistory: String, Sendable, CaseIterable {
    /// golang-migrate's `schema_migrations (version, dirty)`: one row, the current version.
    case golangMigrate = "golang-migrate"
    /// dbmate's `schema_migrations (version)`: one row per applied migration.
    case dbmate

    /// Both tools' default table name.
    public static let defaultTable = "schema_migrations"

    /// How users name the tool, in messages.
    public var displayName: String {
        switch self {
        case .golangMigrate: "golang-migrate"
        case .dbmate: "dbmate"
        }
    }
}

/// What another tool's history table holds, as read from the database.
public enum ForeignHistory: Sendable, Equatable {
    /// golang-migrate's table, with its row (nil when it has none).
    case golangMigrate(GolangMigrateRow?)
    /// dbmate's table and the versions it lists, as dbmate wrote them.
    case dbmate(versions: [String])
    /// Flyway's own history table under its default name.
    case flyway(TableName)

    /// The tool, for messages.
    public var toolName: String {
        switch self {
        case .golangMigrate: "golang-migrate"
        case .dbmate: "dbmate"
        case .flyway: "Flyway"
        }
    }
}

/// golang-migrate's one row: the version the database is at, and whether a migration to it
/// failed part-way (`dirty`).
public struct GolangMigrateRow: Sendable, Equatable {
    /// golang-migrate's version number; -1 (its "no version") only in a dirty row.
    public let version: Int64
    /// True while a migration runs outside a transaction, and after it failed.
    public let dirty: Bool

    /// A row from its columns.
    public init(version: Int64, dirty: Bool) {
        self.version = version
        self.dirty = dirty
    }

    /// The row once the database is at `version`: none when no version is applied, as
    /// golang-migrate leaves its table after the last migration is rolled back.
    static func settled(at version: MigrationVersion?) throws(CoexistenceError) -> GolangMigrateRow? {
        try version.map { version throws(CoexistenceError) in GolangMigrateRow(version: try number(version), dirty: false) }
    }

    /// The row while a migration towards `version` runs outside a transaction: golang-migrate
    /// marks the target dirty first (-1 when the target is no version at all).
    static func dirty(towards version: MigrationVersion?) throws(CoexistenceError) -> GolangMigrateRow {
        GolangMigrateRow(version: try version.map { version throws(CoexistenceError) in try number(version) } ?? -1, dirty: true)
    }

    /// golang-migrate's versions are whole numbers that fit a `bigint`.
    static func number(_ version: MigrationVersion) throws(CoexistenceError) -> Int64 {
        guard let number = Int64(version.text) else { throw .notAWholeNumber(version) }
        return number
    }
}
