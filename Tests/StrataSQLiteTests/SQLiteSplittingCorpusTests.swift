import CSQLite
import Strata
@testable import StrataSQLite
import Testing

/// The core's pure-Swift splitter against SQLite's own parser, as the driver walks scripts: the
/// same statements, starting on the same lines.
@Suite struct SQLiteSplittingCorpusTests {
    static let corpus: [(name: String, script: String)] = [
        ("trigger with CASE ... END inside", """
            CREATE TABLE a (id INTEGER PRIMARY KEY, b INT);
            CREATE TABLE log (msg TEXT);
            CREATE TRIGGER a_inserted AFTER INSERT ON a BEGIN
              UPDATE a SET b = CASE WHEN new.b > 0 THEN 1 ELSE 0 END WHERE id = new.id;
              INSERT INTO log VALUES (CASE new.b WHEN 1 THEN 'one; END;' ELSE 'other' END);
            END;
            CREATE TRIGGER a_updated AFTER UPDATE ON a WHEN (CASE WHEN new.b THEN 1 END) BEGIN SELECT 1; END;
            INSERT INTO a (b) VALUES (5);
            """),
        ("temporary trigger, lower-case end after comments", """
            CREATE TEMPORARY TABLE t (x);
            CREATE TEMP TRIGGER t_deleted BEFORE DELETE ON t BEGIN SELECT 1; -- a comment; here
            /* and ; here */ end
            ;
            DELETE FROM t;
            """),
        ("strings and comments holding ;", """
            -- leading; comment
            CREATE TABLE s (v TEXT); /* trailing; */ INSERT INTO s VALUES ('a;b'), ('it''s; -- not a comment');
            SELECT 'x' AS "c;d", '/* not a comment; */' AS [e;f];
            SELECT `g;h` FROM (SELECT 1 AS `g;h`)
            """),
        ("quoted identifiers named BEGIN and END", """
            CREATE TABLE "BEGIN" ("END" INT, [COMMIT] INT, `ROLLBACK` INT);
            INSERT INTO "BEGIN" VALUES (1, 2, 3);
            CREATE TRIGGER "END" AFTER INSERT ON "BEGIN" BEGIN
              UPDATE "BEGIN" SET "END" = [COMMIT] + 1;
              SELECT "END" FROM "BEGIN"; END;
            SELECT [END], "END" FROM "BEGIN";
            """),
        ("nested-looking comments", """
            /* outer /* inner */ CREATE TABLE n (x);
            /* /* */ INSERT INTO n VALUES (1); /* a comment ; with * and / */ SELECT 2
            -- a last comment
            """),
        ("empty statements and savepoints", """
            ;; CREATE TABLE e (x);
            ;
             ; SAVEPOINT s; INSERT INTO e VALUES (1); RELEASE s;
            SELECT 1;;
            """),
        ("names like keywords, CRLF line ends", "CREATE TABLE \"trigger\" (\"end\" INT);\r\nCREATE VIEW v AS SELECT CASE WHEN 1 THEN 2 END AS e;\r\nCREATE INDEX trigger_end ON \"trigger\" (\"end\");\r\n"),
    ]

    @Test(arguments: corpus.map(\.name))
    func sameStatementsAsSQLitesParser(name: String) throws {
        let script = try #require(Self.corpus.first { $0.name == name }).script
        var sqliteLines: [Int] = []
        try SQLiteDatabase(path: ":memory:").forEachStatement(in: script) { statement, cursor, span in
            sqliteLines.append(cursor.line(at: span.lowerBound))
            var status = sqlite3_step(statement)
            while status == SQLITE_ROW { status = sqlite3_step(statement) }
            #expect(status == SQLITE_DONE, "statement \(sqliteLines.count) of \(name)")
        }
        #expect(try SQLiteScriptSplitter.split(script).map(\.line) == sqliteLines)
        #expect(!sqliteLines.isEmpty)
    }
}
