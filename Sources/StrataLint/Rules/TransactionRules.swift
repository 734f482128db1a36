/// Rules about names and about what one transaction holds.
extension LintRule {
    static let identifierTooLong = LintRule(
        "identifier-too-long", .error, "An identifier longer than 63 bytes, which PostgreSQL truncates."
    ) { statement, _ in
        var long: [String] = []
        for name in StatementText.identifiers(in: statement.text, longerThan: 63) where !long.contains(name) { long.append(name) }
        return long.map { name in
            RuleHit(
                message: "\(SQLName.quoted(name)) is \(name.utf8.count) bytes long.",
                why: "PostgreSQL silently keeps only the first 63 bytes, so the object's name is not what the migration says, and a later statement using the full name may hit a different object or none.",
                safeSQL: "-- choose a name of 63 bytes or fewer")
        }
    }

    static let lockOrdering = LintRule(
        "lock-ordering", .warning, "ACCESS EXCLUSIVE on several existing tables in one transaction."
    ) { statement, context in
        guard context.inTransaction, let held = context.exclusivelyLocked.first else { return [] }
        return statement.kind.accessExclusiveTables
            .filter { table in !context.isNew(table) && !context.exclusivelyLocked.contains { $0.table == table.name } }
            .map { table in
                RuleHit(
                    message: "Locks \(table) ACCESS EXCLUSIVE while holding \(Relation(name: held.table)) since line \(held.line).",
                    lock: .accessExclusive, table: table.description,
                    why: "Both tables stay blocked for reads and writes until the transaction ends, queries queue behind both, and a transaction locking them in the other order deadlocks with this one.",
                    safeSQL: "-- change one table per migration")
            }
    }
}
