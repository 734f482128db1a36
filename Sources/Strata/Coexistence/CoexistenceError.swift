/// Another tool's history cannot be taken over or kept as it is; nothing was changed.
public enum CoexistenceError: StrataError, Equatable {
    /// golang-migrate's row is dirty: a migration to this version failed part-way.
    case dirty(version: Int64)
    /// golang-migrate's version is older than Strata's: it rolled migrations back.
    case golangMigrateBehind(version: Int64, strataVersion: String)
    /// dbmate no longer lists versions Strata's history shows as applied: it rolled them back.
    case dbmateLacks(versions: [String])
    /// A version golang-migrate cannot hold (it needs whole numbers).
    case notAWholeNumber(MigrationVersion)
    /// A dbmate row whose version is not a version.
    case notAVersion(String)
    /// The table is not laid out as the configured tool's.
    case wrongTable(expected: CompanionHistory, table: TableName, columns: [String])
    /// Flyway's table is read in place with `--table`, not adopted.
    case flywayTable(TableName)

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        switch self {
        case .dirty(let version):
            "golang-migrate's schema_migrations says version \(version) is dirty: a migration failed part-way, and nothing was run. "
                + "Check what that migration did and finish or revert it by hand; then, in golang-migrate's words, `migrate force \(version)` "
                + "if it is now applied, or force the version before it if it is not (or `UPDATE schema_migrations SET dirty = false`), and run Strata again."
        case .golangMigrateBehind(let version, let strataVersion):
            "golang-migrate's schema_migrations is at version \(version) but Strata's history at \(strataVersion): golang-migrate "
                + "rolled migrations back after Strata ran, and nothing was run. Migrate with golang-migrate up to \(strataVersion) again, "
                + "or undo those versions with Strata instead, so both histories agree."
        case .dbmateLacks(let versions):
            "dbmate's schema_migrations no longer lists \(versions.count == 1 ? "version" : "versions") \(versions.joined(separator: ", ")), "
                + "which Strata's history shows as applied: dbmate rolled \(versions.count == 1 ? "it" : "them") back after Strata ran, and nothing was run. "
                + "Migrate with dbmate again, or undo \(versions.count == 1 ? "it" : "them") with Strata instead, so both histories agree."
        case .notAWholeNumber(let version):
            "golang-migrate's schema_migrations holds whole-number versions; version \(version) cannot be recorded there. "
                + "Use golang-migrate's file names (1_name.up.sql), or set history = \"strata\"."
        case .notAVersion(let text):
            "dbmate's schema_migrations lists '\(text)', which is not a migration version; remove that row or fix it, then run again."
        case .wrongTable(let expected, let table, let columns):
            "\(table) has the columns \(columns.joined(separator: ", ")), not \(expected.displayName)'s "
                + "(\(expected == .golangMigrate ? "version, dirty" : "version")): set history to the tool that wrote it, or rename that table."
        case .flywayTable(let table):
            "Flyway's history table \(table) is there: Strata reads and continues it in place with --table \(table.name) "
                + "(or table = \"\(table.name)\" in strata.toml); nothing needs to be adopted."
        }
    }
}
