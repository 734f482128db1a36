/// The statements that cannot run inside the transaction Strata wraps a migration in: those
/// PostgreSQL refuses inside a transaction block, which send their migration outside one, and
/// those that begin or end a transaction themselves, which Strata refuses.
extension PostgresScriptSplitter.Words {
    /// Statements PostgreSQL refuses inside a transaction block (they call
    /// `PreventInTransactionBlock`). ALTER TYPE ... ADD VALUE is not one: PostgreSQL 12 and later
    /// allow it.
    var requiresNoTransaction: Bool {
        Self.alwaysOutsideTransactions.contains(where: { has($0) })
            || reindexRefusesTransaction || alterDatabaseRefusesTransaction
            || detachPartitionRefusesTransaction || clusterRefusesTransaction
    }

    /// `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK` (not `ROLLBACK TO SAVEPOINT`),
    /// `ABORT` and two-phase commits: statements that end or begin the session's transaction, and
    /// so would end the one Strata runs a migration in. Read from the leading words only: the
    /// whole text of a 1,000-row INSERT was split into words for this.
    var controlsTransaction: Bool {
        if has(["BEGIN"]) || has(["START"]) || has(["COMMIT"]) || has(["END"]) || has(["ABORT"]) { return true }
        if has(["ROLLBACK"]) { return !has(["TO"], at: 1) && !has(["PREPARED"], at: 1) }
        return has(["PREPARE", "TRANSACTION"])
    }

    /// Statements refused whatever follows their leading words.
    private static let alwaysOutsideTransactions = [
        // VACUUM processes each table in a transaction of its own.
        ["VACUUM"],
        // ALTER SYSTEM rewrites postgresql.auto.conf, a file no rollback restores.
        ["ALTER", "SYSTEM"],
        // Databases and tablespaces are directories on disk, created and removed outside the
        // transaction log.
        ["CREATE", "DATABASE"], ["DROP", "DATABASE"], ["CREATE", "TABLESPACE"], ["DROP", "TABLESPACE"],
        // Subscriptions create, drop or resynchronize replication slots on the publisher, which no
        // rollback reaches. PostgreSQL refuses only some of these forms, depending on their
        // options; all of them are kept out, since the options are not read here.
        ["CREATE", "SUBSCRIPTION"], ["ALTER", "SUBSCRIPTION"], ["DROP", "SUBSCRIPTION"],
        // CONCURRENTLY builds or drops an index in several transactions, waiting between them for
        // the others to finish, so that writes to the table go on.
        ["CREATE", "INDEX", "CONCURRENTLY"], ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"], ["DROP", "INDEX", "CONCURRENTLY"],
        // DISCARD ALL resets the whole session, advisory locks included, which is no part of a
        // transaction.
        ["DISCARD", "ALL"],
        // These finish a prepared transaction, which cannot be done from inside another one.
        ["COMMIT", "PREPARED"], ["ROLLBACK", "PREPARED"],
    ]

    /// REINDEX SYSTEM and REINDEX DATABASE rebuild each table's indexes in a transaction of its
    /// own; REINDEX ... CONCURRENTLY rebuilds in several transactions, as CREATE INDEX
    /// CONCURRENTLY does.
    private var reindexRefusesTransaction: Bool {
        guard has(["REINDEX"]) else { return false }
        let target = skippingOptionList(at: 1)
        return has(["SYSTEM"], at: target) || has(["DATABASE"], at: target) || firstIndex(of: ["CONCURRENTLY"]) != nil
    }

    /// ALTER DATABASE ... SET TABLESPACE copies the database's files to another directory and
    /// removes the old ones, which no rollback restores.
    private var alterDatabaseRefusesTransaction: Bool {
        has(["ALTER", "DATABASE"]) && firstIndex(of: ["SET", "TABLESPACE"]) != nil
    }

    /// ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY detaches in two transactions, waiting
    /// between them for the queries that use the partition.
    private var detachPartitionRefusesTransaction: Bool {
        guard has(["ALTER", "TABLE"]), let detach = firstIndex(of: ["DETACH", "PARTITION"]) else { return false }
        return firstIndex(of: ["CONCURRENTLY"], from: detach) != nil
    }

    /// CLUSTER without a table (options and VERBOSE aside) reclusters every table clustered
    /// before, each in a transaction of its own.
    private var clusterRefusesTransaction: Bool {
        guard has(["CLUSTER"]) else { return false }
        let afterOptions = skippingOptionList(at: 1)
        return (has(["VERBOSE"], at: afterOptions) ? afterOptions + 1 : afterOptions) == tokens.count
    }
}
