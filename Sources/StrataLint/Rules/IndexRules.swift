/// Rules about building, dropping and rebuilding indexes, and CONCURRENTLY's one condition.
extension LintRule {
    static let createIndexNotConcurrent = LintRule(
        "create-index-not-concurrent", .error, "CREATE INDEX without CONCURRENTLY blocks writes while it builds."
    ) { statement, context in
        guard case .createIndex(let index) = statement.kind, !index.concurrently, existing(index.table, context) != nil else { return [] }
        return [RuleHit(
            message: "Builds \(index.name.map { "the index \(SQLName.quoted($0))" } ?? "an index") on \(index.table) without CONCURRENTLY.",
            lock: .share, table: index.table.description, work: .scan,
            why: "SHARE blocks every INSERT, UPDATE and DELETE on \(index.table) for as long as the build reads the table.",
            safeSQL: "-- a migration of its own (Strata runs it outside a transaction):\n"
                + StatementText.inserting("CONCURRENTLY", after: "INDEX", in: statement.text) + ";")]
    }

    static let dropIndexNotConcurrent = LintRule(
        "drop-index-not-concurrent", .error, "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table."
    ) { statement, context in
        guard case .drop(.index, let indexes, false) = statement.kind else { return [] }
        let existing = indexes.filter { !context.createdIndexes.contains($0.name) }
        guard !existing.isEmpty else { return [] }
        return [RuleHit(
            message: "Drops \(existing.map(\.description).joined(separator: ", ")) without CONCURRENTLY.",
            lock: .accessExclusive,
            why: "ACCESS EXCLUSIVE on the index's table blocks all reads and writes of it until the transaction ends, and waits behind every open query on it.",
            safeSQL: "-- a migration of its own (Strata runs it outside a transaction):\n"
                + existing.map { "DROP INDEX CONCURRENTLY \($0);" }.joined(separator: "\n"))]
    }

    static let reindexNotConcurrent = LintRule(
        "reindex-not-concurrent", .error, "REINDEX without CONCURRENTLY blocks writes, and reads that use the index."
    ) { statement, context in
        guard case .reindex(let target, let onIndex, false) = statement.kind else { return [] }
        let safe = context.postgresVersion >= 12
            ? "-- a migration of its own (Strata runs it outside a transaction):\n" + reindexConcurrently(statement.text)
            : "-- before PostgreSQL 12: CREATE INDEX CONCURRENTLY a copy, DROP INDEX CONCURRENTLY the old one, rename the copy"
        return [RuleHit(
            message: "Rebuilds \(target) without CONCURRENTLY.",
            // REINDEX INDEX writes the named index anew under ACCESS EXCLUSIVE (measured with
            // `lint --measure`); on a table the rows are read to rebuild every index.
            lock: onIndex ? .accessExclusive : .share, table: target, work: onIndex ? .rewrite : .scan,
            why: "SHARE on the table blocks every write, and ACCESS EXCLUSIVE on each index blocks the queries that use it, for the whole rebuild.",
            safeSQL: safe)]
    }

    /// `REINDEX [(options)] INDEX|TABLE|… name` with CONCURRENTLY after the object kind.
    private static func reindexConcurrently(_ text: String) -> String {
        for kind in ["INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM"] {
            let rewritten = StatementText.inserting("CONCURRENTLY", after: kind, in: text)
            if rewritten != text { return rewritten + ";" }
        }
        return text + ";"
    }

    static let concurrentlyInTransaction = LintRule(
        "concurrently-in-transaction", .error, "CONCURRENTLY cannot run inside a transaction block."
    ) { statement, context in
        guard statement.kind.isConcurrent, context.inTransaction else { return [] }
        return [RuleHit(
            message: "Runs a CONCURRENTLY statement inside a transaction.",
            why: "PostgreSQL refuses it (SQLSTATE 25001), so the migration fails. Strata runs a migration outside a transaction only when every statement in it needs that, or when its header says -- strata:transaction=false.",
            safeSQL: "-- a migration of its own, holding only CONCURRENTLY statements:\n\(statement.text);")]
    }
}
