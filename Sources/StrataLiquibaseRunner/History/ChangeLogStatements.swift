import Strata
import StrataLiquibase

/// Liquibase's own SQL for `DATABASECHANGELOG` and `DATABASECHANGELOGLOCK`, per engine: the
/// tables are created as Liquibase 4.29 creates them, so Liquibase can take the database back.
package struct ChangeLogStatements: Sendable {
    /// The Liquibase version whose checksums and layout Strata's rows follow. Liquibase reads the
    /// `LIQUIBASE` column as a version number, so it holds this rather than Strata's own name.
    package static let liquibaseVersion = "4.29.0"

    package let dialect: any SQLDialect
    /// The schema both tables live in; nil for the connection's default.
    package let schema: String?

    package init(dialect: any SQLDialect, schema: String? = nil) {
        self.dialect = dialect
        self.schema = schema
    }

    private var isPostgres: Bool { dialect is PostgresDialect }

    /// PostgreSQL folds Liquibase's unquoted upper-case names to lower case.
    package var historyTable: TableName {
        TableName(schema: schema, name: isPostgres ? "databasechangelog" : "DATABASECHANGELOG")
    }

    package var lockTable: TableName {
        TableName(schema: schema, name: isPostgres ? "databasechangeloglock" : "DATABASECHANGELOGLOCK")
    }

    private var history: String { unquoted(historyTable) }
    private var lock: String { unquoted(lockTable) }

    /// Liquibase's names are plain identifiers, written unquoted as Liquibase writes them (SQLite
    /// keeps the CREATE statement's text, which is then Liquibase's own).
    private func unquoted(_ table: TableName) -> String {
        (table.schema.map { dialect.quote($0) + "." } ?? "") + table.name
    }
    private var timestamp: String { isPostgres ? "TIMESTAMP WITHOUT TIME ZONE" : "TEXT" }
    /// Liquibase's `getCurrentDateTimeFunction()`: `NOW()` on PostgreSQL, `CURRENT_TIMESTAMP` on SQLite.
    private var now: String { isPostgres ? "NOW()" : "CURRENT_TIMESTAMP" }
    private func p(_ index: Int) -> String { dialect.parameter(index) }

    /// `CreateDatabaseChangeLogTableGenerator`'s table.
    package var createHistory: String {
        """
        CREATE TABLE \(history) (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, \
        DATEEXECUTED \(timestamp) NOT NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, \
        MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), \
        CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))
        """
    }

    /// `CreateDatabaseChangeLogLockTableGenerator`'s table, and the one unlocked row Liquibase puts in it.
    package var createLock: [String] {
        let key = isPostgres ? "\(lockTable.name)_pkey" : "PK_DATABASECHANGELOGLOCK"
        return [
            """
            CREATE TABLE \(lock) (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, LOCKGRANTED \(timestamp), \
            LOCKEDBY VARCHAR(255), CONSTRAINT \(key) PRIMARY KEY (ID))
            """,
            "DELETE FROM \(lock)",
            insertLockRow,
        ]
    }

    /// The lock table's one row, unlocked.
    package var insertLockRow: String {
        "INSERT INTO \(lock) (ID, LOCKED) VALUES (1, \(dialect.booleanLiteral(false)))"
    }

    /// Liquibase's order: by date, then by order executed.
    package var selectRows: String {
        let date = isPostgres ? "CAST(DATEEXECUTED AS TEXT)" : "DATEEXECUTED"
        return """
            SELECT ID, AUTHOR, FILENAME, \(date), ORDEREXECUTED, EXECTYPE, MD5SUM, DESCRIPTION, COMMENTS, TAG, LIQUIBASE, \
            CONTEXTS, LABELS, DEPLOYMENT_ID FROM \(history) ORDER BY DATEEXECUTED ASC, ORDEREXECUTED ASC
            """
    }

    /// Whether a Liquibase process holds the lock, who, and since when.
    package var selectLock: String {
        let granted = isPostgres ? "CAST(LOCKGRANTED AS TEXT)" : "LOCKGRANTED"
        return "SELECT LOCKED, LOCKEDBY, \(granted) FROM \(lock) WHERE ID = 1"
    }

    /// `LockDatabaseChangeLogGenerator`'s UPDATE: takes the row only where it is free; `$1` is `LOCKEDBY`.
    package var acquireLock: String {
        "UPDATE \(lock) SET LOCKED = \(dialect.booleanLiteral(true)), LOCKGRANTED = \(now), LOCKEDBY = \(p(1)) "
            + "WHERE ID = 1 AND LOCKED = \(dialect.booleanLiteral(false))"
    }

    /// `UnlockDatabaseChangeLogGenerator`'s UPDATE.
    package var releaseLock: String {
        "UPDATE \(lock) SET LOCKED = \(dialect.booleanLiteral(false)), LOCKGRANTED = NULL, LOCKEDBY = NULL WHERE ID = 1"
    }

    /// `MarkChangeSetRanGenerator`'s INSERT for EXECUTED and MARK_RAN; `ORDEREXECUTED` is the
    /// next number after the table's highest.
    package func insert(_ row: ChangeLogWrite) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO \(history) (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, \
            CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID, TAG) VALUES (\(p(1)), \(p(2)), \(p(3)), \(now), \
            (SELECT coalesce(max(ORDEREXECUTED), 0) + 1 FROM \(history)), \(p(4)), \(p(5)), \(p(6)), \(p(7)), \(p(8)), \(p(9)), \
            \(p(10)), \(p(11)), \(p(12)))
            """,
            arguments(row))
    }

    /// `MarkChangeSetRanGenerator`'s UPDATE for RERAN: the row keeps its identity and takes
    /// everything else anew; the tag only when the changeset has a `tagDatabase` change.
    package func update(_ row: ChangeLogWrite) -> SQLStatement {
        let tag = row.tag == nil ? "" : ", TAG = \(p(12))"
        return SQLStatement(
            """
            UPDATE \(history) SET DATEEXECUTED = \(now), ORDEREXECUTED = (SELECT coalesce(max(ORDEREXECUTED), 0) + 1 FROM \(history)), \
            MD5SUM = \(p(4)), DESCRIPTION = \(p(5)), COMMENTS = \(p(6)), EXECTYPE = \(p(7)), CONTEXTS = \(p(8)), \
            LABELS = \(p(9)), LIQUIBASE = \(p(10)), DEPLOYMENT_ID = \(p(11))\(tag) \
            WHERE ID = \(p(1)) AND AUTHOR = \(p(2)) AND FILENAME = \(p(3))
            """,
            Array(arguments(row).prefix(row.tag == nil ? 11 : 12)))
    }

    private func arguments(_ row: ChangeLogWrite) -> [SQLValue] {
        [.text(row.identity.id), .text(row.identity.author), .text(row.identity.path), .text(row.checksum),
         .text(row.description), .text(row.comments), .text(row.execType.rawValue), optional(row.contexts),
         optional(row.labels), .text(Self.liquibaseVersion), .text(row.deploymentID), optional(row.tag)]
    }

    private func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }

    /// Forgets a changeset (after its rollback).
    package func delete(_ identity: ChangeSetIdentity) -> SQLStatement {
        SQLStatement("DELETE FROM \(history) WHERE ID = \(p(1)) AND AUTHOR = \(p(2)) AND FILENAME = \(p(3))",
                     [.text(identity.id), .text(identity.author), .text(identity.path)])
    }

    /// Writes a changeset's checksum in the current version (the upgrade from V8), or clears it (nil).
    package func setChecksum(_ checksum: String?, of identity: ChangeSetIdentity) -> SQLStatement {
        SQLStatement("UPDATE \(history) SET MD5SUM = \(p(1)) WHERE ID = \(p(2)) AND AUTHOR = \(p(3)) AND FILENAME = \(p(4))",
                     [optional(checksum), .text(identity.id), .text(identity.author), .text(identity.path)])
    }

    /// `clear-checksums`: every MD5SUM set to NULL, recomputed by the next update.
    package var clearChecksums: String { "UPDATE \(history) SET MD5SUM = NULL" }

    /// The `tag` command: the newest row takes the tag.
    package func tagNewest(_ tag: String) -> SQLStatement {
        let newest = "SELECT ORDEREXECUTED FROM \(history) ORDER BY DATEEXECUTED DESC, ORDEREXECUTED DESC LIMIT 1"
        return SQLStatement("UPDATE \(history) SET TAG = \(p(1)) WHERE ORDEREXECUTED = (\(newest))", [.text(tag)])
    }
}

/// Liquibase's deployment id: the current time in milliseconds without its first three digits,
/// shared by every row one run writes.
public enum DeploymentID {
    public static func make(epochMilliseconds: Int64) -> String {
        String(String(epochMilliseconds).dropFirst(3))
    }
}
