import Testing
@testable import Strata

@Suite struct BackfillScriptTests {
    let postgres = PostgresDialect()

    @Test func aScriptWithoutTheDirectiveIsNotCut() throws {
        #expect(try BackfillScript.parts(of: "UPDATE t SET a = 1;\n", path: "V1.sql", dialect: postgres) == nil)
        #expect(try BackfillScript.parts(of: "-- strata:backfill-ish\nUPDATE t SET a = 1;\n", path: "V1.sql", dialect: postgres) == nil)
    }

    @Test func plainStatementsKeepTheirFileLines() throws {
        let sql = """
            ALTER TABLE t ADD COLUMN c int;
            -- strata:backfill
            UPDATE t SET c = a
              WHERE c IS NULL;

            -- strata:Backfill
            DELETE FROM t WHERE a < 0;
            CREATE INDEX t_c ON t (c);
            """
        let parts = try #require(try BackfillScript.parts(of: sql, path: "V1.sql", dialect: postgres))
        #expect(parts == [
            .script("ALTER TABLE t ADD COLUMN c int;"),
            .backfill(statement: "UPDATE t SET c = a\n  WHERE c IS NULL", line: 3),
            .backfill(statement: "DELETE FROM t WHERE a < 0", line: 7),
            .script(String(repeating: "\n", count: 7) + "CREATE INDEX t_c ON t (c);"),
        ])
    }

    @Test func theDirectiveIsFoundInAnyCaseAnywhereInTheFile() throws {
        #expect(BackfillScript.mayHoldBackfill("SELECT 1;\n-- STRATA:BACKFILL"))
        #expect(BackfillScript.mayHoldBackfill("-- Strata:Backfill\n"))
        #expect(!BackfillScript.mayHoldBackfill("-- strata:back fill\n"))
        #expect(!BackfillScript.mayHoldBackfill("strata:backfil"))
        let parts = try BackfillScript.parts(of: "-- STRATA:BACKFILL\nUPDATE t SET a = 1;\n", path: "V1.sql", dialect: postgres)
        #expect(parts == [.backfill(statement: "UPDATE t SET a = 1", line: 2)])
    }

    @Test func theDirectiveMayStandFirstAndOnSQLite() throws {
        let parts = try BackfillScript.parts(of: "-- strata:backfill\n\nUPDATE t SET a = 1;\n", path: "V1.sql", dialect: SQLiteDialect())
        #expect(parts == [.backfill(statement: "UPDATE t SET a = 1", line: 3)])
        #expect(try ScriptDirectives.parse("-- strata:backfill\nUPDATE t SET a = 1;\n") == ScriptDirectives())
    }

    @Test func aDirectiveWithoutItsStatementNamesItsLine() {
        let error = #expect(throws: MigrationScriptError.self) {
            try BackfillScript.parts(of: "UPDATE t SET a = 1;\n-- strata:backfill\n-- a comment\nUPDATE t SET a = 2;\n", path: "V1.sql", dialect: PostgresDialect())
        }
        #expect(error?.line == 2)
        #expect(error?.description.contains("must stand on the line before") == true)
    }

    @Test func aBackfillSharingItsLinesIsRefused() {
        let error = #expect(throws: MigrationScriptError.self) {
            try BackfillScript.parts(of: "-- strata:backfill\nUPDATE t SET a = 1; SELECT 1;\n", path: "V1.sql", dialect: PostgresDialect())
        }
        #expect(error?.line == 2)
    }
}

@Suite struct BackfillStatementsTests {
    let update = Backfill(table: TableName(schema: "app", name: "accounts"), alias: "a", change: .update(assignments: "b = upper(a.b)"), condition: "a.b IS NOT NULL")

    @Test func primaryKeyBatchesWalkTheKeyAndKeepTheCondition() {
        let statements = BackfillStatements(backfill: update, keyset: .primaryKey([.init(name: "id", type: "integer")]), dialect: PostgresDialect())
        let boundary = statements.boundary(after: ["10"], size: 500)
        #expect(boundary == SQLStatement(#"SELECT "id"::text AS strata_key_1 FROM "app"."accounts" AS "a" WHERE "id" > $1::integer ORDER BY "id" LIMIT 1 OFFSET 499"#, [.text("10")]))
        #expect(statements.batch(after: ["10"], through: ["510"]) == SQLStatement(
            #"WITH strata_batch AS (UPDATE "app"."accounts" AS "a" SET b = upper(a.b) WHERE (a.b IS NOT NULL) AND "id" > $1::integer AND "id" <= $2::integer RETURNING 1) SELECT count(*) FROM strata_batch"#,
            [.text("10"), .text("510")]))
        #expect(statements.batch(after: nil, through: nil).sql.contains("WHERE (a.b IS NOT NULL) RETURNING"))
    }

    @Test func onePostgresStatementWalksTheKeysChangesTheRowsAndSavesTheProgress() throws {
        let statements = BackfillStatements(backfill: update, keyset: .primaryKey([.init(name: "id", type: "integer")]), dialect: PostgresDialect())
        let progress = BackfillProgressRow(table: #""app"."strata_backfill_state""#, script: "V1__fill.sql", checksum: 7, part: 2, rowsBefore: 500)
        let batch = try #require(statements.walkingBatch(after: ["10"], size: 500, saving: progress, countingWaiters: true, countingBusySessions: false))
        // The keys are walked without the statement's condition; the change applies it, up to the last key walked.
        #expect(batch.sql.contains(#"strata_keys AS (SELECT "id" FROM "app"."accounts" WHERE "id" > $1::integer ORDER BY "id" LIMIT 500)"#))
        #expect(batch.sql.contains(#"UPDATE "app"."accounts" AS "a" SET b = upper(a.b) WHERE (a.b IS NOT NULL) AND "id" > $1::integer AND "id" <= (SELECT "id" FROM strata_end) RETURNING 1"#))
        #expect(batch.sql.contains(#"INSERT INTO "app"."strata_backfill_state" (script, part, checksum, position, rows_done, finished)"#))
        #expect(batch.sql.contains("walked_keys < 500 FROM strata_walked"))
        // The sessions waiting for its locks are counted only when asked: the count costs the server.
        #expect(batch.sql.contains(BackfillStatements.sessionsWaitingForThisOne))
        let uncounted = try #require(statements.walkingBatch(after: ["10"], size: 500, saving: progress, countingWaiters: false, countingBusySessions: true))
        // The busy sessions are counted only when a limit is set (``BackfillThrottle``).
        #expect(!uncounted.sql.contains("pg_blocking_pids") && uncounted.sql.hasSuffix(" 0, (\(BackfillStatements.busyApplicationSessions)) FROM strata_walked"))
        #expect(batch.sql.hasSuffix(", NULL FROM strata_walked"))
        #expect(batch.arguments == [.text("10"), .text("V1__fill.sql"), .integer(2), .integer(7), .text(BackfillPosition.encode(["10"])), .integer(500)])
        // The first batch has no lower bound; other keysets and SQLite run their batches as separate statements.
        #expect(statements.walkingBatch(after: nil, size: 500, saving: progress, countingWaiters: false, countingBusySessions: true)?.sql.contains(#"WHERE true ORDER BY "id" LIMIT 500"#) == true)
        #expect(BackfillStatements(backfill: update, keyset: .ctid(endBlock: 5, rowsPerBlock: 10), dialect: PostgresDialect())
            .walkingBatch(after: nil, size: 10, saving: progress, countingWaiters: true, countingBusySessions: false) == nil)
        #expect(BackfillStatements(backfill: update, keyset: .rowid, dialect: SQLiteDialect()).walkingBatch(after: nil, size: 10, saving: progress, countingWaiters: true, countingBusySessions: false) == nil)
    }

    @Test func aCompositeKeyEndsAtItsLastKeyColumnByColumn() throws {
        let delete = Backfill(table: TableName(schema: nil, name: "t"), change: .delete)
        let statements = BackfillStatements(backfill: delete, keyset: .primaryKey([.init(name: "a", type: "text"), .init(name: "b", type: "bigint")]), dialect: PostgresDialect())
        let progress = BackfillProgressRow(table: #""strata_backfill_state""#, script: "V1.sql", checksum: nil, part: 0, rowsBefore: 0)
        let sql = try #require(statements.walkingBatch(after: ["x", "1"], size: 3, saving: progress, countingWaiters: true, countingBusySessions: false)).sql
        // Scalar subqueries per column, so that the bound is an index condition and not a row subquery.
        #expect(sql.contains(#"DELETE FROM "t" WHERE ("a", "b") > ($1::text, $2::bigint) AND ("a", "b") <= ((SELECT "a" FROM strata_end), (SELECT "b" FROM strata_end)) RETURNING 1"#))
        #expect(sql.contains(#"strata_end AS (SELECT "a", "b" FROM strata_keys ORDER BY "a" DESC, "b" DESC LIMIT 1)"#))
        #expect(sql.contains(#"octet_length("a"::text)::text || ':' || "a"::text || octet_length("b"::text)::text || ':' || "b"::text"#))
    }

    @Test func compositeKeysCompareAsRows() {
        let delete = Backfill(table: TableName(schema: nil, name: "t"), change: .delete)
        let statements = BackfillStatements(backfill: delete, keyset: .primaryKey([.init(name: "a", type: "text"), .init(name: "b", type: "bigint")]), dialect: PostgresDialect())
        #expect(statements.batch(after: ["x", "1"], through: nil).sql
            == #"WITH strata_batch AS (DELETE FROM "t" WHERE ("a", "b") > ($1::text, $2::bigint) RETURNING 1) SELECT count(*) FROM strata_batch"#)
        #expect(statements.boundary(after: nil, size: 1)?.sql == #"SELECT "a"::text AS strata_key_1, "b"::text AS strata_key_2 FROM "t" WHERE true ORDER BY "a", "b" LIMIT 1 OFFSET 0"#)
    }

    @Test func ctidBatchesCountBlocksUpToTheEndWhenItBegan() throws {
        let statements = BackfillStatements(backfill: update, keyset: .ctid(endBlock: 25, rowsPerBlock: 100), dialect: PostgresDialect())
        #expect(statements.boundary(after: nil, size: 1_000) == nil)
        let start = try #require(try statements.ctidCursor(at: nil))
        #expect(start == CtidCursor(block: 0, endBlock: 25, sweeps: true))
        #expect(statements.blockBoundary(from: start, size: 1_000)! == (10, false))
        #expect(statements.blockBoundary(from: CtidCursor(block: 20, endBlock: 25, sweeps: true), size: 1_000)! == (25, true))
        #expect(statements.blockBoundary(from: CtidCursor(block: 20, endBlock: 25, sweeps: true), size: 10)! == (21, false))
        let batch = try #require(statements.ctidBatch(from: CtidCursor(block: 10, endBlock: 25, sweeps: true), through: 20, countingBusySessions: false))
        #expect(batch.sql.contains(#"WHERE (a.b IS NOT NULL) AND ctid >= $1::tid AND ctid < $2::tid RETURNING ctid, xmin, (a.b IS NOT NULL) IS TRUE AS strata_still"#))
        // It reports the blocks it wrote versions in that a later batch walks (from its end to the
        // walk's end), by transaction, and how many rows it changed still match the statement's WHERE.
        #expect(batch.sql.contains(#"WHERE ctid >= '(20,0)'::tid AND ctid < '(25,0)'::tid GROUP BY xmin::text) strata_ahead), count(*) FILTER (WHERE strata_still)"#))
        #expect(batch.arguments == [.text("(10,0)"), .text("(20,0)")])
        // A resumed walk keeps the end it saved, though the table grew since; a position saved by
        // an earlier Strata (the block alone) takes the table's end now and sweeps nothing.
        #expect(try statements.ctidCursor(at: ["12", "20", "0/7"]) == CtidCursor(block: 12, endBlock: 20, changed: 7, sweeps: true))
        #expect(try statements.ctidCursor(at: ["12"]) == CtidCursor(block: 12, endBlock: 25, sweeps: false))
        #expect(try BackfillStatements(backfill: update, keyset: .rowid, dialect: SQLiteDialect()).ctidCursor(at: nil) == nil)
    }

    @Test func ctidBatchesSkipTheVersionsEarlierBatchesMovedIntoTheirBlocks() throws {
        let statements = BackfillStatements(backfill: update, keyset: .ctid(endBlock: 25, rowsPerBlock: 100), dialect: PostgresDialect())
        // The first batch (transaction 731) wrote versions ahead into blocks 12 to 21; a second
        // (732) only behind the walk, into blocks 2 to 4; a third (733) beyond its end.
        let cursor = CtidCursor(block: 0, endBlock: 25, sweeps: true)
            .advanced(to: 10, changed: 900, stillMatching: 0, written: "731:12-21 732:2-4 733:30-31")
        #expect(cursor.position == ["10", "25", "0/900", "731:12-21"])
        #expect(try CtidCursor(position: cursor.position, endBlock: 99, sweeps: false) == cursor)
        // The batch over blocks 10 to 20 skips the versions 731 wrote, by their xmin: a version the
        // application writes there meanwhile has its own, and is changed.
        let batch = try #require(statements.ctidBatch(from: cursor, through: 20, countingBusySessions: false))
        #expect(batch.sql.contains(#"AND NOT (xmin = ANY ($3::xid[])) RETURNING ctid, xmin"#))
        #expect(batch.sql.contains(#"GROUP BY xmin::text"#))
        #expect(batch.arguments == [.text("(10,0)"), .text("(20,0)"), .text("{731}")])
        // A batch before block 12 skips nothing.
        #expect(statements.ctidBatch(from: cursor, through: 12, countingBusySessions: false)?.arguments.count == 2)
        let next = cursor.advanced(to: 20, changed: 50, stillMatching: 0, written: "734:22-22")
        #expect(next.position == ["20", "25", "0/950", "731:12-21", "734:22-22"])
        #expect(next.skipped(before: 22) == ["731"] && next.skipped(before: 25) == ["731", "734"])
        #expect(next.advanced(to: 22, changed: 0, stillMatching: 0, written: "").skipped(before: 25) == ["734"])
        // A DELETE moves nothing.
        let delete = BackfillStatements(backfill: Backfill(table: TableName(schema: nil, name: "t"), change: .delete),
                                        keyset: .ctid(endBlock: 5, rowsPerBlock: 10), dialect: PostgresDialect())
        #expect(delete.ctidBatch(from: CtidCursor(block: 0, endBlock: 5, sweeps: true), through: 5, countingBusySessions: false)?.sql
            == #"WITH strata_batch AS (DELETE FROM "t" WHERE ctid >= $1::tid AND ctid < $2::tid RETURNING 1) SELECT count(*), NULL, 0, NULL FROM strata_batch"#)
        // With a busy-session limit it counts them too.
        #expect(delete.ctidBatch(from: CtidCursor(block: 0, endBlock: 5, sweeps: true), through: 5, countingBusySessions: true)?.sql
            .hasSuffix("0, (\(BackfillStatements.busyApplicationSessions)) FROM strata_batch") == true)
    }

    /// Only Strata writes positions, so one that does not read is refused, not guessed at: a
    /// walk that restarted or skipped ahead would change rows twice or miss them.
    @Test(arguments: [["x"], ["-1"], ["7", "end"], ["7", "25", "0"], ["7", "25", "a/0"], ["7", "25", "0/b!"], ["7", "25", "0/0/1"],
                      ["7", "25", "0/0", "junk"], ["7", "25", "0/0", "x:1-2"], ["7", "25", "0/0", "5:3-1"], ["7", "25", "0/0", "12:1-2", "6:1"]])
    func aSavedCtidPositionThatDoesNotReadIsRefused(position: [String]) {
        #expect(throws: CtidCursor.UnreadablePosition(position: position)) {
            try CtidCursor(position: position, endBlock: 25, sweeps: true)
        }
    }

    @Test func everyPositionACursorSavesReadsBack() throws {
        let cursors = [CtidCursor(block: 0, endBlock: 25, sweeps: true), CtidCursor(block: 7, endBlock: 25, walk: 2, changed: 40, sweeps: false),
                       CtidCursor(block: 3, endBlock: 9, changed: 1, sweeps: true, ahead: [.init(xid: "4294967295", blocks: 4...8), .init(xid: "12", blocks: 5...5)])]
        for cursor in cursors {
            #expect(try CtidCursor(position: cursor.position, endBlock: 99, sweeps: !cursor.sweeps) == cursor)
        }
    }

    @Test func aWalkByCtidIsSweptAgainWhileItsWhereTellsDoneRowsApart() throws {
        let walked = CtidCursor(block: 0, endBlock: 25, sweeps: true).advanced(to: 25, changed: 900, stillMatching: 0, written: "")
        // The table grew to 30 blocks meanwhile: the sweep walks all of it and counts its own changes.
        let sweep = try #require(walked.sweep(tableEnd: 30))
        #expect(sweep == CtidCursor(block: 0, endBlock: 30, walk: 1, sweeps: true))
        #expect(sweep.position == ["0", "30", "1/0"])
        // No sweep before the walk's end, after a walk that changed nothing, or after the last sweep allowed.
        #expect(CtidCursor(block: 0, endBlock: 25, sweeps: true).advanced(to: 10, changed: 9, stillMatching: 0, written: "").sweep(tableEnd: 30) == nil)
        #expect(sweep.advanced(to: 30, changed: 0, stillMatching: 0, written: "").sweep(tableEnd: 30) == nil)
        #expect(CtidCursor.sweepLimit == 3)
        let last = CtidCursor(block: 30, endBlock: 30, walk: 3, changed: 4, sweeps: true)
        #expect(last.sweep(tableEnd: 30) == nil)
        // Its changes say the application moved rows behind the walk meanwhile; no sweep is left to find more.
        let before = CtidCursor(block: 20, endBlock: 30, walk: 3, changed: 2, sweeps: true)
        #expect(last.caveat(since: before) == .mayHaveMissedRows(sweeps: 3, changed: 4))
        #expect(CtidCursor(block: 30, endBlock: 30, walk: 3, changed: 0, sweeps: true).caveat(since: before) == nil)
        #expect(CtidCursor(block: 25, endBlock: 30, walk: 3, changed: 4, sweeps: true).caveat(since: before) == nil)
        #expect(CtidCursor(block: 30, endBlock: 30, walk: 2, changed: 4, sweeps: true).caveat(since: before) == nil)
        // Once a batch changed a row that still matches the WHERE, no sweep follows, and a saved position remembers it.
        let first = CtidCursor(block: 0, endBlock: 25, sweeps: true)
        let stuck = first.advanced(to: 25, changed: 900, stillMatching: 1, written: "")
        #expect(stuck.sweep(tableEnd: 30) == nil && stuck.position == ["25", "25", "0/900!"])
        // Said once: at the batch that shows it, or as a run starts from a cursor that cannot sweep.
        #expect(stuck.caveat(since: first) == .cannotSweep && stuck.caveat(since: nil) == .cannotSweep)
        #expect(stuck.caveat(since: stuck) == nil && first.caveat(since: nil) == nil)
        #expect(try CtidCursor(position: stuck.position, endBlock: 25, sweeps: true) == stuck)
        // An UPDATE without a WHERE cannot tell done rows apart; a DELETE always can.
        let everyRow = BackfillStatements(backfill: Backfill(table: TableName(schema: nil, name: "t"), change: .update(assignments: "a = a + 1")),
                                          keyset: .ctid(endBlock: 5, rowsPerBlock: 10), dialect: PostgresDialect())
        #expect(try everyRow.ctidCursor(at: nil)?.sweeps == false)
        #expect(everyRow.ctidBatch(from: CtidCursor(block: 0, endBlock: 5, sweeps: false), through: 5, countingBusySessions: false)?.sql.contains("RETURNING ctid, xmin, false AS strata_still") == true)
        let delete = BackfillStatements(backfill: Backfill(table: TableName(schema: nil, name: "t"), change: .delete),
                                        keyset: .ctid(endBlock: 5, rowsPerBlock: 10), dialect: PostgresDialect())
        #expect(try delete.ctidCursor(at: nil)?.sweeps == true)
    }

    @Test func sqliteBatchesByRowid() {
        let statements = BackfillStatements(backfill: Backfill(table: TableName(schema: nil, name: "t"), change: .update(assignments: "a = 1")), keyset: .rowid, dialect: SQLiteDialect())
        #expect(statements.batch(after: ["5"], through: ["9"]) == SQLStatement(#"UPDATE "t" SET a = 1 WHERE rowid > CAST(?1 AS INTEGER) AND rowid <= CAST(?2 AS INTEGER)"#, [.text("5"), .text("9")]))
        #expect(statements.boundary(after: nil, size: 3)?.sql == #"SELECT rowid AS strata_key_1 FROM "t" WHERE true ORDER BY rowid LIMIT 1 OFFSET 2"#)
    }

    @Test func theStatementTheBatchesCarryOutTogether() {
        #expect(update.statement(in: PostgresDialect()) == #"UPDATE "app"."accounts" AS "a" SET b = upper(a.b) WHERE a.b IS NOT NULL"#)
        #expect(Backfill(table: TableName(schema: nil, name: "t"), change: .delete).statement(in: SQLiteDialect()) == #"DELETE FROM "t""#)
        let commented = Backfill(table: TableName(schema: nil, name: "t"), change: .update(assignments: "a = 1 -- one"), condition: "a IS NULL -- unset")
        #expect(commented.statement(in: PostgresDialect()) == "UPDATE \"t\" SET a = 1 -- one\n WHERE a IS NULL -- unset\n")
        // A batch keeps its range out of the comments too.
        let batch = BackfillStatements(backfill: commented, keyset: .rowid, dialect: SQLiteDialect()).batch(after: ["5"], through: nil).sql
        #expect(batch == "UPDATE \"t\" SET a = 1 -- one\n WHERE (a IS NULL -- unset\n) AND rowid > CAST(?1 AS INTEGER)")
    }

    @Test func positionsOfSeveralColumnsSurviveAnyText() {
        for values in [["1"], ["a:b", "", "3:x"], ["é, ü", "2"]] {
            #expect(BackfillPosition.decode(BackfillPosition.encode(values)) == values)
        }
    }
}
