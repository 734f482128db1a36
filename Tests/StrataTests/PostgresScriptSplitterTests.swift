import StrataTestSupport
import Testing
@testable import Strata

private typealias Index = PostgresScriptSplitter.ConcurrentIndex

private func split(_ sql: String) throws -> [PostgresScriptSplitter.Statement] {
    try PostgresScriptSplitter.split(sql)
}

private func texts(_ sql: String) throws -> [String] {
    try split(sql).map(\.text)
}

private func splitError(_ sql: String) throws -> PostgresScriptError {
    try #require(throws: PostgresScriptError.self) { try PostgresScriptSplitter.split(sql) }
}

@Suite struct PostgresScriptSplitterTests {
    // MARK: Statements, text and lines

    @Test func splitsAtSemicolonsAndDropsThem() throws {
        let statements = try split("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n\nSELECT * FROM t;\n")
        #expect(statements.map(\.text) == ["CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)", "SELECT * FROM t"])
        #expect(statements.map(\.line) == [1, 2, 4])
        #expect(statements.allSatisfy { $0.copyData == nil && !$0.requiresNoTransaction })
    }

    @Test func theLastStatementMayLackItsSemicolon() throws {
        #expect(try texts("SELECT 1;\nSELECT 2\n  ") == ["SELECT 1", "SELECT 2"])
        #expect(try texts("SELECT 1") == ["SELECT 1"])
    }

    @Test func textRunsFromTheFirstTokenToTheLastAndKeepsCommentsInside() throws {
        let statements = try split("-- leading\n/* block */\n  SELECT 1, -- inside\n  2 /* also inside */ + 3 /* before the semicolon */ ; -- after\n")
        #expect(statements.count == 1)
        #expect(statements[0].line == 3)
        #expect(statements[0].text == "SELECT 1, -- inside\n  2 /* also inside */ + 3")
    }

    @Test func onlyWhitespaceAndCommentsIsNoStatement() throws {
        #expect(try split("").isEmpty)
        #expect(try split("  \n\t\r\n").isEmpty)
        #expect(try split("-- just a comment\n/* and /* a nested */ block */\n").isEmpty)
        #expect(try split(";;\n;").isEmpty)
        #expect(try texts("SELECT 1;\n/*\n trailing comment\n*/\n-- and another") == ["SELECT 1"])
    }

    @Test func severalStatementsOnOneLine() throws {
        let statements = try split("SELECT 1; SELECT 2;SELECT 3")
        #expect(statements.map(\.text) == ["SELECT 1", "SELECT 2", "SELECT 3"])
        #expect(statements.map(\.line) == [1, 1, 1])
    }

    @Test func linesCountLineFeedsAndCRLFOnce() throws {
        let statements = try split("SELECT 1;\r\n\r\n-- c\r\nSELECT\r\n2;\r\n\r\nSELECT 3;")
        #expect(statements.map(\.line) == [1, 4, 7])
        #expect(statements[1].text == "SELECT\r\n2")
    }

    @Test func linesCountInsideQuotesAndComments() throws {
        let statements = try split("SELECT 'a\nb';\n/* x\ny */ SELECT $$\n$$;\nSELECT \"c\nd\";\nSELECT 4;")
        #expect(statements.map(\.line) == [1, 4, 6, 8])
    }

    // MARK: Strings

    @Test func plainStringsDoubleTheirQuotesAndHaveNoBackslashEscapes() throws {
        #expect(try texts("SELECT 'it''s; fine';SELECT 2") == ["SELECT 'it''s; fine'", "SELECT 2"])
        #expect(try texts("SELECT 'C:\\';SELECT 2") == ["SELECT 'C:\\'", "SELECT 2"])
        #expect(try texts("SELECT '';SELECT ''''") == ["SELECT ''", "SELECT ''''"])
    }

    @Test func escapeStringsTakeBackslashEscapes() throws {
        #expect(try texts("SELECT E'it\\'s; fine';SELECT 2") == ["SELECT E'it\\'s; fine'", "SELECT 2"])
        #expect(try texts("SELECT e'\\\\';SELECT 2") == ["SELECT e'\\\\'", "SELECT 2"])
        #expect(try texts("SELECT E'a''b;';SELECT 2") == ["SELECT E'a''b;'", "SELECT 2"])
    }

    @Test func anEGluedToAWordIsNoEscapeStringPrefix() throws {
        #expect(try texts("SELECT somee'\\';SELECT 2") == ["SELECT somee'\\'", "SELECT 2"])
    }

    @Test func prefixedStringsAreStrings() throws {
        #expect(try texts("SELECT U&'d\\0061t;a';SELECT u&'x;'") == ["SELECT U&'d\\0061t;a'", "SELECT u&'x;'"])
        #expect(try texts("SELECT B'1;', X'0f;', N'n;';SELECT 2") == ["SELECT B'1;', X'0f;', N'n;'", "SELECT 2"])
    }

    /// psql lexes a line at a time, so SQL's `E'a'<newline>'b'` continuation never happens: the
    /// second `'` starts a plain string, in which a backslash escapes nothing.
    @Test func aStringOnTheNextLineIsANewPlainString() throws {
        #expect(try texts("SELECT E'a'\n'\\';';\nSELECT 2';") == ["SELECT E'a'\n'\\'", "';\nSELECT 2'"])
        #expect(try splitError("SELECT E'a' -- c\n  '\\';';\nSELECT 2").line == 2)
    }

    @Test func multilineStringsHoldSemicolons() throws {
        let statements = try split("INSERT INTO a VALUES (1, '1. first;\n2. second;');\nSELECT 2;")
        #expect(statements.map(\.line) == [1, 3])
        #expect(statements[0].text == "INSERT INTO a VALUES (1, '1. first;\n2. second;')")
    }

    // MARK: Quoted identifiers

    @Test func quotedIdentifiersDoubleTheirQuotesAndHoldAnything() throws {
        #expect(try texts("SELECT 1 AS \"a\"\";b\";SELECT 2") == ["SELECT 1 AS \"a\"\";b\"", "SELECT 2"])
        #expect(try texts("CREATE TABLE \"dol$lar\" (x int);SELECT $$;$$") == ["CREATE TABLE \"dol$lar\" (x int)", "SELECT $$;$$"])
        #expect(try texts("SELECT U&\"a;b\";SELECT 2") == ["SELECT U&\"a;b\"", "SELECT 2"])
    }

    // MARK: Dollar quotes

    @Test func dollarQuotesHoldSemicolonsQuotesAndOtherTags() throws {
        #expect(try texts("SELECT $$it's; here$$;SELECT 2") == ["SELECT $$it's; here$$", "SELECT 2"])
        #expect(try texts("SELECT $a$ $b$ ; $$ ; $b$ $a$;SELECT 2") == ["SELECT $a$ $b$ ; $$ ; $b$ $a$", "SELECT 2"])
        #expect(try texts("SELECT $fn$x$junk$fn$;SELECT 2") == ["SELECT $fn$x$junk$fn$", "SELECT 2"])
        #expect(try texts("SELECT $_$;$_$, $Ä$;$Ä$, $t1$;$t1$;SELECT 2") == ["SELECT $_$;$_$, $Ä$;$Ä$, $t1$;$t1$", "SELECT 2"])
    }

    @Test func tagsAreCaseSensitive() throws {
        #expect(try texts("SELECT $A$ $a$; $A$;SELECT 2") == ["SELECT $A$ $a$; $A$", "SELECT 2"])
    }

    @Test func parametersAndDollarsAfterIdentifiersOpenNoQuote() throws {
        #expect(try texts("SELECT $1;SELECT $2$;SELECT 3") == ["SELECT $1", "SELECT $2$", "SELECT 3"])
        #expect(try texts("SELECT abc$;SELECT a$b$;SELECT 3") == ["SELECT abc$", "SELECT a$b$", "SELECT 3"])
        #expect(try texts("SELECT $;SELECT $x;SELECT 3") == ["SELECT $", "SELECT $x", "SELECT 3"])
        #expect(try texts("SELECT $1a$$;SELECT 2") == ["SELECT $1a$$", "SELECT 2"])
    }

    @Test func aFunctionBodyIsOneStatement() throws {
        let sql = """
            CREATE FUNCTION add(integer, integer) RETURNS integer
                LANGUAGE sql IMMUTABLE STRICT
                AS $_$select $1 + $2;$_$;
            SELECT add(1, 2);
            """
        let statements = try split(sql)
        #expect(statements.map(\.line) == [1, 4])
        #expect(statements[0].text.hasSuffix("$_$select $1 + $2;$_$"))
    }

    // MARK: Comments

    @Test func commentsHideSemicolonsAndQuotes() throws {
        #expect(try texts("SELECT 1 -- no; 'end\n;SELECT 2") == ["SELECT 1", "SELECT 2"])
        #expect(try texts("SELECT 1 /* no; 'end */;SELECT 2") == ["SELECT 1", "SELECT 2"])
        #expect(try texts("SELECT 1 +/* c; */ 2;SELECT 1--c;\n") == ["SELECT 1 +/* c; */ 2", "SELECT 1"])
        #expect(try texts("SELECT '-- not a comment;', '/* nor this;'") == ["SELECT '-- not a comment;', '/* nor this;'"])
    }

    @Test func blockCommentsNest() throws {
        #expect(try texts("/* a /* b; */ still; */ SELECT 1;SELECT 2") == ["SELECT 1", "SELECT 2"])
        #expect(try texts("SELECT /* a /* b */ c; */ 1;") == ["SELECT /* a /* b */ c; */ 1"])
    }

    // MARK: Numbers, as psql 15 reads them

    @Test func anIdentifierGluedToANumberBelongsToIt() throws {
        #expect(try texts("SELECT 1e'\\';SELECT 2") == ["SELECT 1e'\\'", "SELECT 2"])
        #expect(try texts("SELECT 1a$$;SELECT 2") == ["SELECT 1a$$", "SELECT 2"])
        #expect(try texts("SELECT 1e5$$x;SELECT 2") == ["SELECT 1e5$$x", "SELECT 2"])
        #expect(try texts("SELECT 1e-5e'\\';SELECT 2") == ["SELECT 1e-5e'\\'", "SELECT 2"])
    }

    @Test func aDollarRightAfterANumberOpensAQuote() throws {
        #expect(try texts("SELECT 1$$;$$;SELECT 2") == ["SELECT 1$$;$$", "SELECT 2"])
        #expect(try texts("SELECT 1e+5$$;$$;SELECT 2") == ["SELECT 1e+5$$;$$", "SELECT 2"])
    }

    @Test func anExponentSignIsNoCommentStart() throws {
        #expect(try texts("SELECT 1e-- x;\nSELECT 2") == ["SELECT 1e-- x", "SELECT 2"])
        #expect(try texts("SELECT 1e+5-- x;\n;SELECT 2") == ["SELECT 1e+5", "SELECT 2"])
    }

    // MARK: Parentheses and BEGIN ATOMIC bodies

    @Test func semicolonsInsideParenthesesDoNotEndAStatement() throws {
        let sql = """
            CREATE OR REPLACE RULE my_rule AS
            ON DELETE TO some_table
            DO ALSO
            (
            DELETE FROM a WHERE a.id=123;
            DELETE FROM b WHERE b.id=123;
            );
            SELECT 1;
            """
        let statements = try split(sql)
        #expect(statements.map(\.line) == [1, 8])
        #expect(statements[0].text.hasSuffix("DELETE FROM b WHERE b.id=123;\n)"))
    }

    @Test func anUnbalancedCloseParenthesisIsIgnored() throws {
        #expect(try texts("SELECT 1);SELECT 2") == ["SELECT 1)", "SELECT 2"])
    }

    @Test func beginAtomicBodiesAreOneStatement() throws {
        let sql = """
            CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;
              SELECT a;
            END;
            create or replace procedure p() language sql begin atomic insert into t values (1); end;
            SELECT 3;
            """
        let statements = try split(sql)
        #expect(statements.map(\.line) == [1, 6, 7])
        #expect(statements[0].text.hasSuffix("SELECT a;\nEND"))
        #expect(statements[1].text == "create or replace procedure p() language sql begin atomic insert into t values (1); end")
    }

    @Test func beginCountsOnlyInRoutineDefinitionsAndOutsideParentheses() throws {
        #expect(try texts("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;") == ["BEGIN", "CREATE TABLE t (id int)", "COMMIT"])
        #expect(try texts("DO $$BEGIN NULL; END$$;SELECT 2") == ["DO $$BEGIN NULL; END$$", "SELECT 2"])
        #expect(try texts("CREATE TABLE begin_end (\"begin\" int);SELECT 2") == ["CREATE TABLE begin_end (\"begin\" int)", "SELECT 2"])
        #expect(try texts("CREATE FUNCTION f() RETURNS int RETURN (SELECT CASE WHEN true THEN 1 END);SELECT 2")
            == ["CREATE FUNCTION f() RETURNS int RETURN (SELECT CASE WHEN true THEN 1 END)", "SELECT 2"])
        #expect(try texts("CREATE /* c */ OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;SELECT 2").count == 2)
    }

    @Test func caseCountsOnlyInsideABody() throws {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;SELECT 3"
        #expect(try texts(sql).count == 2)
    }

    // MARK: COPY FROM STDIN

    @Test func copyDataFollowsItsStatement() throws {
        let sql = "CREATE TABLE t (a int, b text);\nCOPY t (a, b) FROM stdin;\n1\tone; two\n2\t\\N\n\\.\nSELECT count(*) FROM t;\n"
        let statements = try split(sql)
        #expect(statements.map(\.text) == ["CREATE TABLE t (a int, b text)", "COPY t (a, b) FROM stdin", "SELECT count(*) FROM t"])
        #expect(statements.map(\.line) == [1, 2, 6])
        #expect(statements[1].copyData == "1\tone; two\n2\t\\N\n")
        #expect(statements[0].copyData == nil && statements[2].copyData == nil)
    }

    @Test func copyDataStartsAfterTheLineOfTheSemicolon() throws {
        let statements = try split("copy t (a)\n  from STDIN with (format csv, header);   -- rows below\na\n'x;'\n\\.\nSELECT 1")
        #expect(statements[0].text == "copy t (a)\n  from STDIN with (format csv, header)")
        #expect(statements[0].copyData == "a\n'x;'\n")
        #expect(statements[1].line == 6)
    }

    @Test func copyDataMayBeEmptyAndEndWithCRLF() throws {
        let empty = try split("COPY t FROM STDIN;\n\\.\n")
        #expect(empty.count == 1 && empty[0].copyData == "")
        let crlf = try split("COPY t FROM stdin;\r\n1\r\n\\.\r\nSELECT 2;\r\n")
        #expect(crlf.map(\.text) == ["COPY t FROM stdin", "SELECT 2"])
        #expect(crlf[0].copyData == "1\r\n")
        #expect(crlf[1].line == 4)
        let atEnd = try split("COPY t FROM stdin;\n1\n\\.")
        #expect(atEnd[0].copyData == "1\n")
    }

    @Test func onlyALineThatIsExactlyBackslashDotEndsTheData() throws {
        let statements = try split("COPY t FROM stdin;\n\\. \n x\\.\n\\.\nSELECT 2")
        #expect(statements[0].copyData == "\\. \n x\\.\n")
        #expect(statements.count == 2)
    }

    @Test func copyDataIsNotLexed() throws {
        let statements = try split("COPY t FROM stdin;\n'unclosed\t$$\t/*\t\\i\n\\.\nSELECT 2;")
        #expect(statements.map(\.text) == ["COPY t FROM stdin", "SELECT 2"])
    }

    @Test func otherCopiesHaveNoData() throws {
        let statements = try split("COPY t TO STDOUT;\nCOPY t FROM '/tmp/stdin';\nCOPY t FROM PROGRAM 'cat stdin';\nCOPY \"stdin\" FROM '/f';")
        #expect(statements.count == 4)
        #expect(statements.allSatisfy { $0.copyData == nil })
    }

    @Test func copyWithoutItsEndIsAnErrorAtTheCopy() throws {
        let error = try splitError("SELECT 1;\n\nCOPY t FROM stdin;\n1\n2\n")
        #expect(error.line == 3)
        #expect(error.message.contains("\\."))
        #expect(try splitError("SELECT 1;\nCOPY t FROM stdin").line == 2)
    }

    @Test func textAfterTheCopyOnItsLineIsAnError() throws {
        let error = try splitError("SELECT 1;\nCOPY t FROM stdin; SELECT 2;\n1\n\\.\n")
        #expect(error.line == 2)
        #expect(error.message.contains("COPY ... FROM STDIN"))
    }

    // MARK: psql meta-commands

    @Test(arguments: [
        ("\\i other.sql\n", 1, "`\\i`"),
        ("SELECT 1;\n\\set x 1\n", 2, "`\\set`"),
        ("SELECT 1;\n\n  \\connect db\n", 3, "`\\connect`"),
        ("SELECT 'a'\n\\gexec\n", 2, "`\\gexec`"),
        ("SELECT 1 \\;\nSELECT 2;", 1, "`\\;`"),
        ("\\restrict abc\nSELECT 1;", 1, "pg_dump"),
    ])
    func metaCommandsAreErrorsAtTheirLine(example: (sql: String, line: Int, fragment: String)) throws {
        let error = try splitError(example.sql)
        #expect(error.line == example.line)
        #expect(error.message.contains(example.fragment))
        #expect(error.message.contains("not SQL"))
    }

    @Test func theIncludeMessageSaysWhatToDo() throws {
        let error = try splitError("\\i file.sql")
        #expect(error.message == "psql meta-command `\\i` is not SQL; Strata sends statements to the server, not to psql: inline the file or split it into migrations")
        #expect(error.description == "line 1: " + error.message)
    }

    @Test func backslashesInsideQuotesAndCommentsAreText() throws {
        let sql = "SELECT '\\i x', E'\\\\', \"\\\", $$\\set$$ -- \\c db\n/* \\gexec */;"
        #expect(try split(sql).count == 1)
    }

    // MARK: Unterminated text

    @Test(arguments: [
        ("SELECT 1;\nSELECT 'abc;\nSELECT 2;", 2, "string"),
        ("SELECT 1;\nSELECT E'abc\\';\n", 2, "\\'"),
        ("SELECT 1;\n\nSELECT \"abc;", 3, "quoted identifier"),
        ("SELECT 1;\nSELECT $tag$ abc $TAG$ $tag ;\n", 2, "`$tag$`"),
        ("SELECT $$ abc;", 1, "`$$`"),
        ("SELECT 1;\n/* one /* two */\nSELECT 2;", 2, "*/"),
        ("SELECT U&'abc", 1, "string"),
    ])
    func unterminatedTextIsAnErrorWhereItStarts(example: (sql: String, line: Int, fragment: String)) throws {
        let error = try splitError(example.sql)
        #expect(error.line == example.line)
        #expect(error.message.contains("unterminated"))
        #expect(error.message.contains(example.fragment))
    }

    // MARK: Statements that refuse a transaction

    @Test(arguments: [
        ("CREATE INDEX CONCURRENTLY i ON t (a)", true),
        ("create unique index concurrently if not exists i on t (a)", true),
        ("CREATE INDEX i ON t (a)", false),
        ("CREATE UNIQUE INDEX i ON t (concurrently)", false),
        ("DROP INDEX CONCURRENTLY IF EXISTS i", true),
        ("DROP INDEX i", false),
        ("REINDEX INDEX CONCURRENTLY i", true),
        ("REINDEX (VERBOSE) TABLE CONCURRENTLY t", true),
        ("REINDEX TABLE t", false),
        ("REINDEX SYSTEM db", true),
        ("reindex (verbose) database db", true),
        ("VACUUM", true),
        ("vacuum (analyze) t", true),
        ("ANALYZE t", false),
        ("CREATE DATABASE d", true),
        ("DROP DATABASE IF EXISTS d", true),
        ("ALTER DATABASE d SET TABLESPACE fast", true),
        ("ALTER DATABASE d SET work_mem = '64MB'", false),
        ("CREATE TABLESPACE fast LOCATION '/ssd'", true),
        ("DROP TABLESPACE fast", true),
        ("ALTER SYSTEM SET work_mem = '64MB'", true),
        ("DISCARD ALL", true),
        ("DISCARD PLANS", false),
        ("COMMIT PREPARED 'tx1'", true),
        ("ROLLBACK PREPARED 'tx1'", true),
        ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", true),
        ("ALTER TABLE p DETACH PARTITION c", false),
        ("ALTER TABLE t ADD COLUMN concurrently int", false),
        ("CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", true),
        ("ALTER SUBSCRIPTION s REFRESH PUBLICATION", true),
        ("DROP SUBSCRIPTION s", true),
        ("CLUSTER", true),
        ("CLUSTER VERBOSE", true),
        ("CLUSTER (VERBOSE)", true),
        ("CLUSTER t", false),
        ("CLUSTER VERBOSE t USING i", false),
        ("CLUSTER (VERBOSE) \"T\"", false),
        ("ALTER TYPE colors ADD VALUE 'orange' AFTER 'red'", false),
        ("SELECT 'VACUUM'", false),
        ("/* VACUUM */ SELECT 1", false),
        ("\"VACUUM\"", false),
        ("CREATE INDEX \"CONCURRENTLY\" ON t (a)", false),
    ])
    func transactionRefusers(sql: String, expected: Bool) throws {
        let statements = try split(sql + ";")
        #expect(statements.count == 1)
        #expect(statements.first?.requiresNoTransaction == expected)
    }

    @Test func onlyTheRefusingStatementIsFlagged() throws {
        let statements = try split("CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY ON t (a);\nVACUUM t;\nSELECT 1;")
        #expect(statements.map(\.requiresNoTransaction) == [false, true, true, false])
    }

    // MARK: CREATE INDEX CONCURRENTLY names

    @Test(arguments: [
        ("CREATE INDEX CONCURRENTLY idx ON t (a)", Index(schema: nil, name: "idx", ifNotExists: false)),
        ("create unique index concurrently Idx_A on t (a)", Index(schema: nil, name: "idx_a", ifNotExists: false)),
        ("CREATE INDEX CONCURRENTLY IF NOT EXISTS s.idx ON s.t (a)", Index(schema: "s", name: "idx", ifNotExists: true)),
        ("CREATE INDEX CONCURRENTLY \"My Idx\" ON t (a)", Index(schema: nil, name: "My Idx", ifNotExists: false)),
        ("CREATE INDEX CONCURRENTLY \"My \"\"S\"\"\".\"Idx\" ON t (a)", Index(schema: "My \"S\"", name: "Idx", ifNotExists: false)),
        ("-- c\nCREATE /* c */ INDEX CONCURRENTLY if ON t (a)", Index(schema: nil, name: "if", ifNotExists: false)),
    ])
    func concurrentIndexNames(sql: String, expected: PostgresScriptSplitter.ConcurrentIndex) {
        #expect(PostgresScriptSplitter.concurrentIndex(in: sql) == expected)
    }

    @Test(arguments: [
        "CREATE INDEX CONCURRENTLY ON t (a)",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ON t (a)",
        "CREATE INDEX idx ON t (a)",
        "DROP INDEX CONCURRENTLY idx",
        "CREATE INDEX CONCURRENTLY U&\"i\" ON t (a)",
        "CREATE INDEX CONCURRENTLY s. ON t (a)",
        "SELECT 'CREATE INDEX CONCURRENTLY idx ON t (a)'",
        "",
    ])
    func noConcurrentIndexName(sql: String) {
        #expect(PostgresScriptSplitter.concurrentIndex(in: sql) == nil)
    }

    @Test func aSplitStatementGivesItsIndexName() throws {
        let statement = try #require(try split("SELECT 1;\nCREATE INDEX CONCURRENTLY \"Idx\" ON t (a);").last)
        #expect(PostgresScriptSplitter.concurrentIndex(in: statement.text)?.name == "Idx")
    }
}

/// The splitter against the peer tools' fixtures, whose PostgreSQL boundaries were checked with psql 15.
@Suite(.enabled(if: ConformanceFixtures.available, "the conformance fixtures (../shared/fixtures) are not present"))
struct PostgresScriptSplitterConformanceTests {
    let fixtures = ConformanceFixtures.shared!

    private func fileLines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) + "\n" }
    }

    @Test func fixtureFiles() throws {
        var checked = 0
        for record in fixtures.records("files") {
            guard let dialect = record["dialect"] as? String, ["postgresql", "generic"].contains(dialect),
                  let file = record["file"] as? String, let count = record["statements"] as? Int
            else { continue }
            let text = try fixtures.text(file)
            let statements = try PostgresScriptSplitter.split(text)
            #expect(statements.count == count, "\(file)")
            #expect(statements.map(\.line) == record["statementStartLines"] as? [Int], "\(file)")

            let copies = statements.filter { $0.copyData != nil }
            if let ranges = record["copyDataLines"] as? [[Int]] {
                let lines = fileLines(text)
                #expect(copies.count == ranges.count, "\(file)")
                for (statement, range) in zip(copies, ranges) {
                    let (first, last) = (range[0], range[1])
                    #expect(lines[last - 1] == "\\.\n", "\(file): the range ends with the \\. line")
                    #expect(statement.line < first, "\(file)")
                    #expect(statement.copyData == lines[(first - 1)..<(last - 1)].joined(), "\(file)")
                }
            } else {
                #expect(copies.isEmpty, "\(file)")
            }

            let refusing = statements.filter(\.requiresNoTransaction).map(\.line)
            #expect(refusing == (record["nonTransactionalStatementLines"] as? [Int] ?? []), "\(file)")

            if let failure = record["expectedFailure"] as? [String: Any], let line = failure["startLine"] as? Int {
                let index = try #require(failure["statementIndex"] as? Int)
                #expect(statements[index].line == line, "\(file)")
                if let text = failure["statementText"] as? String {
                    #expect(statements[index].text == text, "\(file)")
                }
            }
            checked += 1
        }
        #expect(checked >= 50)
    }

    @Test func snippets() throws {
        var checked = 0
        for record in fixtures.records("snippets") where record["dialect"] as? String == "postgresql" {
            let id = record["id"] as? String ?? "?"
            let statements = try PostgresScriptSplitter.split(try #require(record["sql"] as? String))
            #expect(statements.count == record["statements"] as? Int, "\(id)")
            if let text = record["statementText"] as? String {
                #expect(statements.first?.text == text, "\(id)")
            }
            #expect(statements.allSatisfy { $0.copyData == nil }, "\(id)")
            // Flyway 5 ran ALTER TYPE ... ADD VALUE outside a transaction; PostgreSQL 12+ allows it in one.
            #expect(statements.allSatisfy { !$0.requiresNoTransaction }, "\(id)")
            checked += 1
        }
        #expect(checked >= 10)
    }

    /// Whether a word opens a dollar quote: if it does, the `;` after it is inside the quote,
    /// which never closes.
    @Test func dollarTags() throws {
        let cases = (fixtures.document["dollarTagCases"] as? [String: Any])?["cases"] as? [[String: Any]] ?? []
        for record in cases {
            let token = try #require(record["token"] as? String)
            let opens = try #require(record["startsDollarQuote"] as? Bool)
            let sql = "SELECT \(token);\nSELECT 2;"
            if opens {
                let error = try #require(throws: PostgresScriptError.self, "\(token)") { try PostgresScriptSplitter.split(sql) }
                #expect(error.line == 1 && error.message.contains("dollar-quoted"), "\(token)")
            } else {
                #expect(try PostgresScriptSplitter.split(sql).map(\.text) == ["SELECT \(token)", "SELECT 2"], "\(token)")
            }
        }
        #expect(cases.count >= 10)
    }
}
