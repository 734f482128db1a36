/// When a SQL callback runs. A callback file is named after its event, `afterMigrate.sql`, or
/// `afterMigrate__refresh_stats.sql`; several for one event run in description order.
enum CallbackEvent: String, Sendable, CaseIterable {
    case beforeMigrate, beforeEachMigrate, afterEachMigrate, afterEachMigrateError, afterMigrate, afterMigrateError
    case beforeUndo, beforeEachUndo, afterEachUndo, afterEachUndoError, afterUndo, afterUndoError
    case beforeValidate, afterValidate, afterValidateError
    case beforeRepair, afterRepair, afterRepairError

    /// The event and description a file name stands for: `afterMigrate__stats.sql` is
    /// (afterMigrate, "stats"). Nil for other names.
    static func parse(fileName: String) -> (event: CallbackEvent, description: String)? {
        guard fileName.hasPrefix("before") || fileName.hasPrefix("after"), fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(".sql".count)
        let parts = stem.split(separator: "__", maxSplits: 1, omittingEmptySubsequences: false)
        guard let event = CallbackEvent(rawValue: String(parts[0])) else { return nil }
        let description = parts.count > 1 ? String(parts[1].map { $0 == "_" ? " " : $0 }) : ""
        return (event, description)
    }

    /// The event of a callback read by ``LocationReader`` (its description starts with the event name).
    init?(callback: Migration) {
        guard callback.kind == .callback,
              let parsed = CallbackEvent.parse(fileName: callback.script.split(separator: "/").last.map(String.init) ?? callback.script)
        else { return nil }
        self = parsed.event
    }
}
