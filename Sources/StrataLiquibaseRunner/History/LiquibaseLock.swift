#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Strata

/// `DATABASECHANGELOGLOCK`, taken for a whole run as Liquibase takes it: set to LOCKED only where
/// it is free, released at the end. A Liquibase process that starts during a Strata run then
/// waits, as it would for another Liquibase. Strata's own lock (an advisory lock on PostgreSQL)
/// still keeps Strata runs apart; the row a Strata run leaves set when it dies names it, so the
/// next Strata run takes it back (see ``StrataLockOwner``).
package struct LiquibaseLock {
    let statements: ChangeLogStatements
    let database: any Database

    package init(database: any Database, schema: String? = nil) {
        self.statements = ChangeLogStatements(dialect: database.dialect, schema: schema)
        self.database = database
    }

    /// Creates the table with its unlocked row unless it exists, and puts the row back where
    /// it is missing, as Liquibase's lock service does.
    package func createIfMissing() throws {
        guard try database.tableExists(statements.lockTable) else {
            for statement in statements.createLock { try database.execute(statement) }
            return
        }
        if try database.query(statements.selectLock, []).isEmpty { try database.execute(statements.insertLockRow) }
    }

    /// Who holds the lock; nil when nobody does or there is no table.
    package func holder() throws -> LiquibaseLockHolder? {
        guard try database.tableExists(statements.lockTable),
              let row = try database.query(statements.selectLock, []).first, row[0].bool == true
        else { return nil }
        return LiquibaseLockHolder(lockedBy: row[1].string, granted: row[2].string)
    }

    /// Sets the row as `owner` if it is free, as Liquibase's `UPDATE … WHERE LOCKED = FALSE`
    /// does; true when `owner` holds it now.
    package func tryAcquire(as owner: StrataLockOwner) throws -> Bool {
        try database.execute(statements.acquireLock, [.text(owner.text)])
        return try holder()?.lockedBy == owner.text
    }

    /// Frees the row, as `liquibase release-locks` does.
    package func release() throws {
        try database.execute(statements.releaseLock)
    }

    /// Takes the row for `owner`, waiting up to `wait` while another process holds it. A row a
    /// Strata run left set is taken back when that run has certainly ended: when Strata's own
    /// lock, which every Strata run holds, keeps other runs out (`othersExcluded`), or when it
    /// names a process of this machine that no longer exists.
    /// - Parameter onWait: told once, when the run starts waiting, who holds the lock.
    /// - Parameter onTakeBack: told when a row left by a dead Strata run is taken back.
    /// - Throws: ``LiquibaseLockHeldError`` when it is still held after `wait`.
    package func acquire(as owner: StrataLockOwner, othersExcluded: Bool, wait: Duration, sleep: (Duration) -> Void,
                         onWait: (LiquibaseLockHolder) -> Void, onTakeBack: (LiquibaseLockHolder) -> Void) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        var waiting = false
        while try !tryAcquire(as: owner) {
            guard let holder = try holder() else { continue }
            if let left = holder.lockedBy.flatMap(StrataLockOwner.init(parsing:)),
               othersExcluded || left.hasEnded(on: owner.host) {
                try release()
                onTakeBack(holder)
                continue
            }
            if !waiting {
                onWait(holder)
                waiting = true
            }
            guard clock.now < deadline else { throw LiquibaseLockHeldError(table: statements.lockTable, holder: holder, waited: wait) }
            sleep(min(.seconds(1), deadline - clock.now))
        }
    }
}

/// How a Strata run names itself in `LOCKEDBY`: Liquibase writes `host (address)`; Strata
/// writes `host (strata pid N, run R)`, so that the row can be recognised as Strata's, and the
/// run (a random number, as a process id can be reused) as this one.
package struct StrataLockOwner: Sendable, Equatable {
    package let host: String
    package let pid: Int32
    package let run: UInt32

    package init(host: String, pid: Int32, run: UInt32) {
        self.host = host
        self.pid = pid
        self.run = run
    }

    /// This process, with a new run number.
    package static func current() -> StrataLockOwner {
        StrataLockOwner(host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier,
                        run: UInt32.random(in: 0...UInt32.max))
    }

    package var text: String { "\(host) (strata pid \(pid), run \(String(run, radix: 16)))" }

    /// Reads a `LOCKEDBY` that Strata wrote; nil for anything else (a Liquibase process).
    package init?(parsing text: String) {
        guard text.hasSuffix(")"), let open = text.range(of: " (strata pid ", options: .backwards) else { return nil }
        let fields = text[open.upperBound..<text.index(before: text.endIndex)].split(separator: ", run ")
        guard fields.count == 2, let pid = Int32(fields[0]), let run = UInt32(fields[1], radix: 16) else { return nil }
        self.init(host: String(text[..<open.lowerBound]), pid: pid, run: run)
    }

    /// Whether this run has certainly ended, seen from a process on `host`: only a process of
    /// the same machine can be looked up.
    func hasEnded(on host: String) -> Bool {
        guard host == self.host else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

/// The row of a held `DATABASECHANGELOGLOCK`.
public struct LiquibaseLockHolder: Sendable, Equatable {
    /// Liquibase writes the host name and address of the machine that runs it.
    public let lockedBy: String?
    public let granted: String?
}

/// Another process holds `DATABASECHANGELOGLOCK`, so Strata does not run.
public struct LiquibaseLockHeldError: StrataError, Sendable {
    /// ``ErrorCategory/failure``: `strata` exits with 1, as when Strata's own lock is held.
    public var category: ErrorCategory { .failure }

    public let table: TableName
    public let holder: LiquibaseLockHolder
    public let waited: Duration

    public var description: String {
        let who = holder.lockedBy.map { " by \($0)" } ?? ""
        let since = holder.granted.map { " since \($0)" } ?? ""
        let strata = holder.lockedBy.flatMap(StrataLockOwner.init(parsing:)) != nil
        return "\(table) is locked\(who)\(since): " + (strata ? "another Strata run" : "a Liquibase update")
            + " is running on this database. Strata waited \(waited.components.seconds) s and changed nothing; run again when "
            + "it has finished. If no such process is running (one that died leaves the lock set), release it with "
            + "`liquibase release-locks`."
    }
}
