import Strata
import StrataLiquibase
@testable import StrataLiquibaseRunner
import StrataSQLite
import StrataTestSupport
import Testing

@Suite struct SQLiteChangeLogRunnerTests {
    let folder = TemporaryFolder()
    var sets = SQLChangeSets()

    func runner(_ changeSets: [ChangeSet], _ options: ChangeLogRunOptions = ChangeLogRunOptions(), events: EventLog? = nil) throws -> ChangeLogRunner {
        let database = try SQLiteDatabase(path: folder.file("app.db"))
        let changelog = LiquibaseChangelog(path: "db/changelog.xml", changeSets: changeSets)
        return ChangeLogRunner(database: database, changelog: changelog, rendering: SQLOnlyRendering(), options: options) { event in
            events?.events.append(event)
        }
    }

    func query(_ sql: String) throws -> [[String]] {
        try SQLiteDatabase(path: folder.file("app.db")).query(sql, []).map { $0.map { $0.string ?? "NULL" } }
    }

    @Test mutating func updateCreatesLiquibasesTablesAndRecordsEachChangeSet() throws {
        let changeSets = [
            sets.make("1", "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)"),
            sets.make("2", "INSERT INTO person (name) VALUES ('x')") {
                $0.contextFilter = try! ContextExpression(parsing: "test, qa")
                $0.labels = ["b", "a"]
                $0.labelsInOrder = ["b", "a"]
                $0.comment = "  seed  "
            },
        ]
        let report = try runner(changeSets).update()
        #expect(report.recorded.map(\.execType) == [.executed, .executed])
        // The DDL Liquibase 4.29 itself wrote on SQLite.
        #expect(try query("SELECT sql FROM sqlite_master WHERE name IN ('DATABASECHANGELOG', 'DATABASECHANGELOGLOCK') ORDER BY name") == [
            [#"CREATE TABLE DATABASECHANGELOG (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TEXT NOT NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))"#],
            [#"CREATE TABLE DATABASECHANGELOGLOCK (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, LOCKGRANTED TEXT, LOCKEDBY VARCHAR(255), CONSTRAINT PK_DATABASECHANGELOGLOCK PRIMARY KEY (ID))"#],
        ])
        #expect(try query("SELECT ID, LOCKED FROM DATABASECHANGELOGLOCK") == [["1", "0"]])
        let rows = try query("""
            SELECT ID, AUTHOR, FILENAME, ORDEREXECUTED, EXECTYPE, DESCRIPTION, COMMENTS, TAG, LIQUIBASE, CONTEXTS, LABELS, \
            length(DEPLOYMENT_ID), length(DATEEXECUTED) FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED
            """)
        #expect(rows == [
            ["1", "ann", "db/changelog.xml", "1", "EXECUTED", "sql", "", "NULL", "4.29.0", "NULL", "NULL", "10", "19"],
            ["2", "ann", "db/changelog.xml", "2", "EXECUTED", "sql", "seed", "NULL", "4.29.0", "(test, qa)", "b,a", "10", "19"],
        ])
        #expect(try query("SELECT count(DISTINCT DEPLOYMENT_ID) FROM DATABASECHANGELOG") == [["1"]])
        #expect(try query("SELECT name FROM person") == [["x"]])
        #expect(try runner(changeSets).update().recorded.isEmpty)
    }

    @Test mutating func runAlwaysAndRunOnChangeRewriteTheirRowAsReran() throws {
        let table = sets.make("1", "CREATE TABLE counter (n INTEGER)")
        let always = sets.make("2", "INSERT INTO counter VALUES (1)") { $0.runAlways = true }
        var onChange = sets.make("3", "CREATE VIEW v AS SELECT 1 AS one") { $0.runOnChange = true }
        try runner([table, always, onChange]).update()
        onChange.changes = [SQLChangeSets.sql("DROP VIEW v; CREATE VIEW v AS SELECT 2 AS two", line: 20)]
        let report = try runner([table, always, onChange]).update()
        #expect(report.recorded.map(\.execType) == [.reran, .reran])
        #expect(try query("SELECT count(*) FROM counter") == [["2"]])
        #expect(try query("SELECT ID, EXECTYPE, ORDEREXECUTED FROM DATABASECHANGELOG ORDER BY ID") == [
            ["1", "EXECUTED", "1"], ["2", "RERAN", "4"], ["3", "RERAN", "5"],
        ])
        #expect(try query("SELECT two FROM v") == [["2"]])
    }

    @Test mutating func aChangedChangeSetStopsTheRunBeforeAnythingRuns() throws {
        var first = sets.make("1", "CREATE TABLE a (id INTEGER)")
        try runner([first]).update()
        first.changes = [SQLChangeSets.sql("CREATE TABLE a (id INTEGER, more TEXT)", line: 7)]
        let next = sets.make("2", "CREATE TABLE b (id INTEGER)")
        let error = #expect(throws: ChangeLogValidationError.self) { try runner([first, next]).update() }
        #expect(error?.description.contains("db/changelog.xml:6: changeset db/changelog.xml::1::ann was changed after it ran") == true)
        #expect(try query("SELECT name FROM sqlite_master WHERE name = 'b'").isEmpty)
    }

    @Test mutating func preconditionsDecideRunMarkRanSkipWarnAndHalt() throws {
        func guarded(_ id: String, _ sql: String, _ onFail: PreconditionFailureAction, _ condition: Precondition) -> ChangeSet {
            sets.make(id, sql) {
                $0.preconditions = Preconditions(onFail: onFail, conditions: [condition], location: ChangelogLocation(file: "db/changelog.xml", line: 40))
            }
        }
        let events = EventLog()
        let changeSets = [
            sets.make("1", "CREATE TABLE person (id INTEGER)"),
            guarded("2", "CREATE TABLE person (id INTEGER)", .markRan, .not([.tableExists(schema: nil, table: "PERSON")])),
            guarded("3", "CREATE TABLE later (id INTEGER)", .continue, .tableExists(schema: nil, table: "missing")),
            guarded("4", "CREATE TABLE warned (id INTEGER)", .warn, .rowCount(schema: nil, table: "person", expected: 3)),
            guarded("5", "CREATE TABLE passed (id INTEGER)", .halt, .and([.columnExists(schema: nil, table: "person", column: "ID"),
                                                                         .dbms(types: ["sqlite"]), .tableIsEmpty(schema: nil, table: "person")])),
        ]
        let report = try runner(changeSets, events: events).update()
        #expect(report.recorded.map(\.identity.id) == ["1", "2", "4", "5"])
        #expect(report.recorded.map(\.execType) == [.executed, .markRan, .executed, .executed])
        #expect(events.events.contains(.skipped(changeSets[2].identity, reason: "tableExists missing does not hold")))
        #expect(events.events.contains { if case .warning(let text) = $0 { text.contains("rowCount person = 3") } else { false } })
        #expect(try query("SELECT name FROM sqlite_master WHERE name IN ('later', 'warned', 'passed') ORDER BY name") == [["passed"], ["warned"]])

        let halting = guarded("6", "SELECT 1", .halt, .sqlCheck(expected: "1", sql: "SELECT count(*) FROM person;"))
        let error = #expect(throws: PreconditionHaltError.self) { try runner(changeSets + [halting]).update() }
        #expect(error?.description == "db/changelog.xml:40: a precondition of changeset db/changelog.xml::6::ann stopped the run "
            + "(onFail/onError HALT): sqlCheck (SELECT count(*) FROM person;) = 1 does not hold. The changesets before it stay "
            + "applied; make the condition hold, or set onFail to CONTINUE, MARK_RAN or WARN.")
    }

    @Test mutating func failOnErrorFalseGoesOnAndRunInTransactionFalseKeepsWhatRan() throws {
        let events = EventLog()
        let changeSets = [
            sets.make("1", "CREATE TABLE t (id INTEGER); INSERT INTO nowhere VALUES (1)") { $0.failOnError = false },
            sets.make("2", "CREATE TABLE u (id INTEGER)"),
            sets.make("3", "CREATE TABLE v (id INTEGER); INSERT INTO nowhere VALUES (1)") { $0.runInTransaction = false },
        ]
        let error = #expect(throws: ChangeSetFailedError.self) { try runner(changeSets, events: events).update() }
        #expect(error?.rolledBack == false)
        #expect(error?.description.hasPrefix("db/changelog.xml:16: changeset db/changelog.xml::3::ann failed at `INSERT INTO nowhere VALUES (1)`: ") == true)
        #expect(try query("SELECT ID FROM DATABASECHANGELOG") == [["2"]])
        #expect(try query("SELECT name FROM sqlite_master WHERE name IN ('t', 'u', 'v') ORDER BY name") == [["u"], ["v"]])
        #expect(events.events.contains { if case .warning(let text) = $0 { text.contains("failOnError=\"false\"") } else { false } })
    }

    @Test mutating func aLiquibaseProcessHoldingItsLockStopsTheRun() throws {
        let changeSets = [sets.make("1", "CREATE TABLE a (id INTEGER)")]
        let runner = try runner(changeSets, ChangeLogRunOptions(liquibaseLockWait: .zero))
        try runner.update()
        try runner.database.execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKEDBY = 'ci-7 (10.0.0.7)', LOCKGRANTED = '2026-11-30 10:00:00'")
        let error = #expect(throws: LiquibaseLockHeldError.self) { try runner.update() }
        #expect(error?.description.hasPrefix("DATABASECHANGELOGLOCK is locked by ci-7 (10.0.0.7) since 2026-11-30 10:00:00: a Liquibase update is running") == true)
        try runner.database.execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 0")
        #expect(try runner.update().recorded.isEmpty)
    }

    @Test mutating func theChangelogsPreconditionsStopTheRunUnlessWarn() throws {
        let changeSets = [sets.make("1", "CREATE TABLE a (id INTEGER)")]
        let location = ChangelogLocation(file: "db/changelog.xml", line: 2)
        for onFail in [PreconditionFailureAction.continue, .markRan, .halt] {
            let database = try SQLiteDatabase(path: folder.file("app.db"))
            var changelog = LiquibaseChangelog(path: "db/changelog.xml", changeSets: changeSets)
            changelog.preconditions = [Preconditions(onFail: onFail, conditions: [.tableExists(schema: nil, table: "nope")], location: location)]
            let runner = ChangeLogRunner(database: database, changelog: changelog, rendering: SQLOnlyRendering())
            let error = #expect(throws: PreconditionHaltError.self) { try runner.update() }
            #expect(error?.description == "db/changelog.xml:2: a precondition of the changelog failed: tableExists nope does not hold. "
                + "Nothing ran: at the changelog level every onFail and onError but WARN stops the run, as in Liquibase (CONTINUE and "
                + "MARK_RAN act on changesets only); make the condition hold, or set onFail to WARN.", "\(onFail)")
            #expect(throws: PreconditionHaltError.self) { try runner.changelogSync() }
            #expect(try query("SELECT count(*) FROM DATABASECHANGELOG") == [["0"]])
        }
        var changelog = LiquibaseChangelog(path: "db/changelog.xml", changeSets: changeSets)
        changelog.preconditions = [Preconditions(onFail: .warn, conditions: [.tableExists(schema: nil, table: "nope")], location: location)]
        let events = EventLog()
        let runner = ChangeLogRunner(database: try SQLiteDatabase(path: folder.file("app.db")), changelog: changelog,
                                     rendering: SQLOnlyRendering()) { events.events.append($0) }
        #expect(try runner.update().recorded.count == 1)
        #expect(events.events.contains(.warning("db/changelog.xml:2: the changelog's precondition: tableExists nope does not hold.")))
    }

    @Test mutating func tagMarksTheNewestRowAndAnEmptyTableGetsLiquibasesOwnRow() throws {
        let changeSets = [sets.make("1", "CREATE TABLE a (id INTEGER)"), sets.make("2", "CREATE TABLE b (id INTEGER)")]
        let runner = try runner(changeSets)
        let carrier = try runner.tag("start")
        #expect(carrier.author == "liquibase" && carrier.path == "liquibase-internal" && Int(carrier.id) != nil)
        #expect(try query("SELECT AUTHOR, FILENAME, EXECTYPE, TAG FROM DATABASECHANGELOG") == [["liquibase", "liquibase-internal", "EXECUTED", "start"]])
        try runner.update(count: 1)
        #expect(try runner.tag("v1").id == "1")
        #expect(try runner.tag("v2").id == "1")
        try runner.update()
        #expect(try runner.tag("v1").id == "2")
        #expect(try query("SELECT ID, TAG FROM DATABASECHANGELOG WHERE AUTHOR = 'ann' ORDER BY ORDEREXECUTED") == [["1", "v2"], ["2", "v1"]])
    }

    @Test mutating func updateToTagRunsUpToTheChangeSetThatWritesIt() throws {
        var tagging = sets.make("2", "")
        tagging.changes = [Change(kind: .tagDatabase, node: ChangelogNode(
            name: "tagDatabase", children: [ChangelogNode(name: "tag", value: "v1", location: tagging.location)], location: tagging.location))]
        let runner = try runner([sets.make("1", "CREATE TABLE a (id INTEGER)"), tagging, sets.make("3", "CREATE TABLE c (id INTEGER)")])
        #expect(throws: ChangeLogValidationError.self) { try runner.update(upToTag: "v9") }
        #expect(try runner.updateSQL(upToTag: "v1").contains("-- Changeset db/changelog.xml::3::ann") == false)
        let sync = try runner.changelogSyncSQL(upToTag: "v1")
        #expect(sync.contains("-- Changeset db/changelog.xml::2::ann") && !sync.contains("::3::ann") && !sync.contains("CREATE TABLE a"))
        #expect(try runner.update(upToTag: "v1").recorded.map(\.identity.id) == ["1", "2"])
        #expect(try runner.update(upToTag: "v1").recorded.isEmpty)
        #expect(try runner.update().recorded.map(\.identity.id) == ["3"])
    }

    @Test mutating func aRowWithoutAValueLiquibaseRequiresIsRefusedNamingIt() throws {
        let runner = try runner([sets.make("1", "CREATE TABLE a (id INTEGER)")])
        try runner.changelogSync(count: 0)
        // A table made by hand, without Liquibase's NOT NULL constraints.
        try runner.database.executeScript("""
            DROP TABLE DATABASECHANGELOG;
            CREATE TABLE DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE, MD5SUM, DESCRIPTION, \
            COMMENTS, TAG, LIQUIBASE, CONTEXTS, LABELS, DEPLOYMENT_ID);
            INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE) \
            VALUES ('1', 'ann', 'db/changelog.xml', NULL, 1, 'EXECUTED');
            """)
        let error = #expect(throws: ChangeLogRowError.self) { try runner.update() }
        #expect(error?.description == "DATABASECHANGELOG row 1 (ID '1') has NULL in DATEEXECUTED, which Liquibase's table "
            + "declares NOT NULL, so Strata cannot tell when, where or in which order it ran. Nothing ran; set the column on that "
            + "row (as Liquibase would have written it) and run again.")
        try runner.database.execute("UPDATE DATABASECHANGELOG SET DATEEXECUTED = '2026-11-30 10:00:00', ORDEREXECUTED = 'first'")
        let order = #expect(throws: ChangeLogRowError.self) { try runner.status() }
        #expect(order?.description.hasPrefix("DATABASECHANGELOG row 1 (ID '1') has 'first' in ORDEREXECUTED, not a number,") == true)
        try runner.database.execute("UPDATE DATABASECHANGELOG SET ORDEREXECUTED = 1")
        #expect(try runner.status().plan.steps.isEmpty)
    }

    @Test mutating func rollbackUndoesTheNewestChangeSetsAndForgetsThem() throws {
        let changeSets = [
            sets.make("1", "CREATE TABLE a (id INTEGER)", rollback: "DROP TABLE a"),
            sets.make("2", "CREATE TABLE b (id INTEGER)", rollback: "DROP TABLE b"),
            sets.make("3", "CREATE TABLE c (id INTEGER)"),
        ]
        let runner = try runner(changeSets)
        try runner.update(count: 2)
        try runner.tag("v1")
        try runner.update()
        let missing = #expect(throws: ChangeLogRollbackError.self) { try runner.rollback(.count(1)) }
        #expect(missing?.description.contains("cannot be rolled back: it has no <rollback>") == true)
        try runner.database.execute("DELETE FROM DATABASECHANGELOG WHERE ID = '3'")
        #expect(try runner.rollbackSQL(.count(1)) == """
            -- Rolling back changeset db/changelog.xml::2::ann
            DROP TABLE b;
            DELETE FROM DATABASECHANGELOG WHERE ID = '2' AND AUTHOR = 'ann' AND FILENAME = 'db/changelog.xml';

            """)
        #expect(try runner.rollback(.tag("v1")).rolledBack.isEmpty)
        #expect(try runner.rollback(.count(1)).rolledBack.map(\.id) == ["2"])
        #expect(try query("SELECT name FROM sqlite_master WHERE name IN ('a', 'b') ORDER BY name") == [["a"]])
        #expect(try query("SELECT ID FROM DATABASECHANGELOG") == [["1"]])
        #expect(try runner.changelogSync().recorded.map(\.execType) == [.executed, .executed])
        #expect(try query("SELECT name FROM sqlite_master WHERE name = 'b'").isEmpty)
        #expect(throws: ChangeLogRollbackError.self) { try runner.rollback(.tag("v9")) }
    }

    @Test mutating func updateSQLPrintsTheStatementsAndTheHistoryWritesWithoutRunningThem() throws {
        let changeSets = [sets.make("1", "CREATE TABLE a (id INTEGER)")]
        let runner = try runner(changeSets)
        let script = try runner.updateSQL()
        #expect(script.contains("CREATE TABLE DATABASECHANGELOGLOCK"))
        #expect(script.contains("-- Changeset db/changelog.xml::1::ann\nCREATE TABLE a (id INTEGER);\nINSERT INTO DATABASECHANGELOG"))
        #expect(script.contains("'EXECUTED'"))
        #expect(try query("SELECT name FROM sqlite_master").isEmpty)
        #expect(try runner.status().plan.steps.count == 1)
    }

    @Test mutating func customChangesAreRefusedOrMarkedRanWhenAsked() throws {
        let custom = sets.make("1", "") {
            $0.changes = [Change(kind: .customChange, node: ChangelogNode(
                name: "customChange", children: [ChangelogNode(name: "class", value: "com.example.Fix", location: $0.location)], location: $0.location))]
        }
        let error = #expect(throws: ChangeLogValidationError.self) { try runner([custom]).update() }
        #expect(error?.description.contains("holds a customChange (com.example.Fix)") == true)
        let report = try runner([custom], ChangeLogRunOptions(skipCustomChanges: true)).update()
        #expect(report.recorded.map(\.execType) == [.markRan])
    }

    @Test mutating func theProbeAnswersFromSQLitesCatalog() throws {
        let setup = sets.make("1", """
            CREATE TABLE parent (id INTEGER PRIMARY KEY); \
            CREATE TABLE child (id INTEGER, parent_id INTEGER, CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)); \
            CREATE INDEX child_parent ON child (parent_id, id); CREATE VIEW kids AS SELECT id FROM child
            """)
        let runner = try runner([setup])
        try runner.update()
        let probe = DatabaseProbe(database: runner.database, rows: try runner.rows(), properties: ["answer": "42"], databaseName: "sqlite")
        func holds(_ condition: Precondition) throws -> Bool {
            let block = Preconditions(conditions: [condition], location: ChangelogLocation(file: "x", line: 1))
            return PreconditionEvaluator.evaluate(block, probe: probe) == .passed
        }
        #expect(try holds(.viewExists(schema: nil, view: "KIDS")))
        #expect(try !holds(.viewExists(schema: nil, view: "child")))
        #expect(try holds(.indexExists(schema: nil, table: "child", index: nil, columns: ["parent_id", "id"])))
        #expect(try !holds(.indexExists(schema: nil, table: "child", index: nil, columns: ["id"])))
        #expect(try holds(.indexExists(schema: nil, table: nil, index: "child_parent", columns: [])))
        #expect(try holds(.foreignKeyConstraintExists(schema: nil, table: nil, name: "FK_CHILD_PARENT")))
        #expect(try !holds(.foreignKeyConstraintExists(schema: nil, table: "parent", name: "fk_child_parent")))
        #expect(try holds(.primaryKeyExists(schema: nil, table: "parent", name: nil)))
        #expect(try !holds(.sequenceExists(schema: nil, sequence: "parent_seq")))
        #expect(try holds(.changeSetExecuted(id: "1", author: "ann", path: "db/changelog.xml")))
        #expect(try holds(.changeLogPropertyDefined(property: "answer", value: "42")))
        #expect(try !holds(.changeLogPropertyDefined(property: "answer", value: "41")))
        #expect(try holds(.or([.dbms(types: ["postgresql"]), .not([.dbms(types: ["postgresql"])])])))
        let block = Preconditions(conditions: [.runningAs(username: "ann")], location: ChangelogLocation(file: "x", line: 1))
        #expect(PreconditionEvaluator.evaluate(block, probe: probe) == .errored("sqlite has no user for runningAs to compare"))
    }
}

final class EventLog: @unchecked Sendable {
    var events: [ChangeLogEvent] = []
}
