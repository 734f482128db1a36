/// Rules about maintenance commands and enum changes that do not belong in a migration as written.
extension LintRule {
    static let vacuumFull = LintRule(
        "vacuum-full", .error, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE."
    ) { statement, _ in
        guard case .vacuum(true, let tables) = statement.kind else { return [] }
        let names = tables.isEmpty ? "every table" : tables.map(\.description).joined(separator: ", ")
        return [RuleHit(
            message: "Rewrites \(names) with VACUUM FULL.", lock: .accessExclusive, table: tables.first?.description, work: .rewrite,
            why: "The table is copied while ACCESS EXCLUSIVE blocks all reads and writes of it, for as long as the copy takes.",
            safeSQL: "-- pg_repack (or pg_squeeze) rebuilds the table online; plain VACUUM frees space for reuse without a lock that blocks")]
    }

    static let cluster = LintRule(
        "cluster", .error, "CLUSTER rewrites the table under ACCESS EXCLUSIVE."
    ) { statement, _ in
        guard case .cluster(let table) = statement.kind else { return [] }
        return [RuleHit(
            message: "Rewrites \(table?.description ?? "every clustered table") in index order with CLUSTER.",
            lock: .accessExclusive, table: table?.description, work: .rewrite,
            why: "The table is copied while ACCESS EXCLUSIVE blocks all reads and writes of it, for as long as the copy takes.",
            safeSQL: "-- pg_repack --order-by rebuilds the table in index order online")]
    }

    static let truncate = LintRule(
        "truncate", .error, "TRUNCATE empties the table under ACCESS EXCLUSIVE."
    ) { statement, context in
        guard case .truncate(let tables, let cascade) = statement.kind else { return [] }
        let existing = tables.filter { !context.isNew($0) }
        guard !existing.isEmpty else { return [] }
        return [RuleHit(
            message: "Empties \(existing.map(\.description).joined(separator: ", "))\(cascade ? ", and with CASCADE every table that references them" : "").",
            lock: .accessExclusive, table: existing[0].description, work: .rewrite,
            why: "Every row is gone for good, and ACCESS EXCLUSIVE blocks all reads and writes until the transaction ends.",
            safeSQL: "-- delete what has to go in batches: DELETE FROM \(existing[0]) WHERE id IN (SELECT id FROM \(existing[0]) LIMIT 10000);")]
    }

    static let enumValueInTransaction = LintRule(
        "enum-value-in-transaction", .error, "ALTER TYPE … ADD VALUE cannot run in a transaction before PostgreSQL 12."
    ) { statement, context in
        guard case .addEnumValue(let type) = statement.kind, context.inTransaction, context.postgresVersion < 12 else { return [] }
        return [RuleHit(
            message: "Adds a value to the enum \(type) inside a transaction.",
            why: "PostgreSQL \(context.postgresVersion) refuses ALTER TYPE … ADD VALUE in a transaction block, so the migration fails.",
            safeSQL: "-- strata:transaction=false\n\(statement.text);")]
    }
}
