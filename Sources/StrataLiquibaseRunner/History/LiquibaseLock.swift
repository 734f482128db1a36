import Strata

/// `DATABASECHANGELOGLOCK`: created as Liquibase creates it, so Liquibase finds its table, and
/// read before every run, so Strata never runs while a Liquibase process holds it. Strata's
/// own lock (an advisory lock that dies with its process) keeps Strata runs apart; this row is
/// only ever read, because a row Strata set would stay set if Strata died.
package struct LiquibaseLock {
    let statements: ChangeLogStatements
    let database: any Database

    package init(database: any Database, schema: String? = nil) {
        self.statements = ChangeLogStatements(dialect: database.dialect, schema: schema)
        self.database = database
    }

    /// Creates the table with its unlocked row unless it exists.
    package func createIfMissing() throws {
        guard try !database.tableExists(statements.lockTable) else { return }
        for statement in statements.createLock { try database.execute(statement) }
    }

    /// Who holds the lock; nil when nobody does or there is no table.
    package func holder() throws -> LiquibaseLockHolder? {
        guard try database.tableExists(statements.lockTable),
              let row = try database.query(statements.selectLock, []).first, row[0].bool == true
        else { return nil }
        return LiquibaseLockHolder(lockedBy: row[1].string, granted: row[2].string)
    }

    /// Returns once no Liquibase process holds the lock, polling for up to `wait`.
    /// - Throws: ``LiquibaseLockHeldError`` when it is still held after that.
    package func waitUntilFree(wait: Duration, sleep: (Duration) -> Void) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        while let holder = try holder() {
            guard clock.now < deadline else { throw LiquibaseLockHeldError(table: statements.lockTable, holder: holder, waited: wait) }
            sleep(min(.seconds(1), deadline - clock.now))
        }
    }
}

/// The row of a held `DATABASECHANGELOGLOCK`.
public struct LiquibaseLockHolder: Sendable, Equatable {
    /// Liquibase writes the host name and address of the machine that runs it.
    public let lockedBy: String?
    public let granted: String?
}

/// A Liquibase process holds `DATABASECHANGELOGLOCK`, so Strata does not run.
public struct LiquibaseLockHeldError: Error, Sendable, CustomStringConvertible {
    public let table: TableName
    public let holder: LiquibaseLockHolder
    public let waited: Duration

    public var description: String {
        let who = holder.lockedBy.map { " by \($0)" } ?? ""
        let since = holder.granted.map { " since \($0)" } ?? ""
        return "\(table) is locked\(who)\(since): a Liquibase update is running on this database. Strata waited "
            + "\(waited.components.seconds) s and changed nothing; run again when it has finished. If no Liquibase process is "
            + "running (one that died leaves the lock set), release it with `liquibase release-locks`."
    }
}
