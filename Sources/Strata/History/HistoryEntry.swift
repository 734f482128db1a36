/// One row of the history table, laid out as Flyway's `flyway_schema_history`.
public struct HistoryEntry: Sendable, Equatable {
    /// The row's position in the history: 1 for the first row written, then one more for each.
    public let installedRank: Int
    /// Nil for repeatable migrations (and Flyway's schema-creation marker).
    public let version: MigrationVersion?
    /// The migration's description when it ran.
    public let description: String
    /// What kind of run the row records (`SQL`, `BASELINE`, `UNDO_SQL`, …).
    public let type: HistoryType
    /// The file's path relative to its location, or a code migration's name.
    public let script: String
    /// The checksum of what ran; nil for rows that record none (baselines, code migrations without one).
    public let checksum: Int32?
    /// Who ran it: the database user unless one was configured.
    public let installedBy: String
    /// When it ran, as text in the database's format (`2024-05-01 12:00:00.000`).
    public var installedOn: String { installedAt.text }
    /// ``installedOn``, as a number when it has the usual layout.
    private let installedAt: InstalledOn
    /// Milliseconds.
    public let executionTime: Int
    /// False for a failed run, which stops later runs until `repair` removes it.
    public let success: Bool

    /// A row as read from the table; also for tests and test doubles.
    public init(
        installedRank: Int, version: MigrationVersion?, description: String, type: HistoryType,
        script: String, checksum: Int32?, installedBy: String, installedOn: String,
        executionTime: Int, success: Bool
    ) {
        self.installedRank = installedRank
        self.version = version
        self.description = description
        self.type = type
        self.script = script
        self.checksum = checksum
        self.installedBy = installedBy
        self.installedAt = InstalledOn(installedOn)
        self.executionTime = executionTime
        self.success = success
    }
}

/// The `type` column. Flyway writes more kinds than these (Java and script migrations); any
/// other value is kept as it is and treated as an applied versioned migration.
public struct HistoryType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The value stored in the `type` column.
    public let rawValue: String
    /// Any value, including Flyway's kinds that Strata does not write itself.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A SQL migration, versioned or repeatable.
    public static let sql = HistoryType(rawValue: "SQL")
    /// A `B` baseline migration that was run on an empty database.
    public static let sqlBaseline = HistoryType(rawValue: "SQL_BASELINE")
    /// The marker written by `baseline`: versions at or below it are taken as applied.
    public static let baseline = HistoryType(rawValue: "BASELINE")
    /// Written by `repair` for an applied migration whose file is gone.
    public static let delete = HistoryType(rawValue: "DELETE")
    /// Flyway's marker for schemas it created itself.
    public static let schema = HistoryType(rawValue: "SCHEMA")
    /// An undo script that was run.
    public static let undoSQL = HistoryType(rawValue: "UNDO_SQL")
    /// A Swift code migration (Flyway writes `JDBC` for its Java ones).
    public static let swift = HistoryType(rawValue: "SWIFT")
    /// A Swift code migration's undo that was run.
    public static let undoSwift = HistoryType(rawValue: "UNDO_SWIFT")

    /// How a migration is recorded when it runs (an undo as its undo type).
    static func of(_ migration: Migration) -> HistoryType {
        switch (migration.kind, migration.isCode) {
        case (.undo, false): .undoSQL
        case (.undo, true): .undoSwift
        case (.baseline, _): .sqlBaseline
        case (_, true): .swift
        case (_, false): .sql
        }
    }

    /// The stored value, ``rawValue``.
    public var description: String { rawValue }
}

extension HistoryEntry {
    /// The row `row` becomes at `rank`, as far as it is known without reading it back.
    init(_ row: NewHistoryRow, rank: Int, installedBy: String) {
        self.init(
            installedRank: rank, version: row.version, description: row.description, type: row.type, script: row.script,
            checksum: row.checksum, installedBy: installedBy, installedOn: "", executionTime: row.executionTime, success: row.success)
    }
}

/// A row about to be written: the table assigns the rank, installation time and user.
public struct NewHistoryRow: Sendable, Equatable {
    /// Nil for repeatable migrations.
    public let version: MigrationVersion?
    /// The migration's description.
    public let description: String
    /// How the run is recorded.
    public let type: HistoryType
    /// The file's path relative to its location, or a code migration's name.
    public let script: String
    /// The checksum to record, if any.
    public let checksum: Int32?
    /// Milliseconds.
    public let executionTime: Int
    /// Whether the run succeeded; false for a run outside a transaction until it has finished.
    public let success: Bool

    /// A row to write, from the values of its columns.
    public init(
        version: MigrationVersion?, description: String, type: HistoryType, script: String,
        checksum: Int32?, executionTime: Int, success: Bool
    ) {
        self.version = version
        self.description = description
        self.type = type
        self.script = script
        self.checksum = checksum
        self.executionTime = executionTime
        self.success = success
    }
}
