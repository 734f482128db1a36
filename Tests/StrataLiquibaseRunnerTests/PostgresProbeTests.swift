import Strata
@testable import StrataLiquibaseRunner
import StrataLiquibase
import StrataPostgres
import StrataTestSupport
import Testing

@Test func postgresIsAvailableUnderCI() {
    #expect(!TestPostgres.requiredButMissing, "CI=true but PostgreSQL could not start: \(TestPostgres.startFailure ?? "")")
}

/// Preconditions answered from PostgreSQL's catalogs, names compared without regard to case.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL server for the tests"))
struct PostgresProbeTests {
    @Test func theProbeAnswersFromPostgresCatalogs() throws {
        let server = TestPostgres.shared!
        guard case .postgres(let conninfo) = try DatabaseURL(parsing: server.url(database: try server.createDatabase())) else { return }
        let database = try PostgresDatabase(conninfo: conninfo)
        try database.executeScript("""
            CREATE SCHEMA other;
            CREATE TABLE parent (id INT PRIMARY KEY, code TEXT CONSTRAINT parent_code UNIQUE);
            CREATE TABLE child (id INT, parent_id INT CONSTRAINT fk_child_parent REFERENCES parent (id));
            CREATE INDEX child_parent ON child (parent_id, id);
            CREATE VIEW kids AS SELECT id FROM child;
            CREATE SEQUENCE other.numbers;
            INSERT INTO parent VALUES (1, 'a'), (2, 'b');
            """)
        let probe = DatabaseProbe(database: database, rows: [], properties: [:], databaseName: "postgresql")
        func holds(_ condition: Precondition) -> Bool {
            PreconditionEvaluator.evaluate(Preconditions(conditions: [condition], location: ChangelogLocation(file: "x", line: 1)), probe: probe) == .passed
        }
        #expect(holds(.tableExists(schema: nil, table: "PARENT")))
        #expect(!holds(.tableExists(schema: "other", table: "parent")))
        #expect(holds(.columnExists(schema: nil, table: "child", column: "Parent_Id")))
        #expect(holds(.viewExists(schema: nil, view: "kids")) && !holds(.viewExists(schema: nil, view: "child")))
        #expect(holds(.sequenceExists(schema: "other", sequence: "numbers")) && !holds(.sequenceExists(schema: nil, sequence: "numbers")))
        #expect(holds(.indexExists(schema: nil, table: "child", index: nil, columns: ["parent_id", "id"])))
        #expect(!holds(.indexExists(schema: nil, table: "child", index: nil, columns: ["id"])))
        #expect(holds(.indexExists(schema: nil, table: nil, index: "CHILD_PARENT", columns: [])))
        #expect(holds(.primaryKeyExists(schema: nil, table: "parent", name: nil)) && !holds(.primaryKeyExists(schema: nil, table: "child", name: nil)))
        #expect(holds(.foreignKeyConstraintExists(schema: nil, table: nil, name: "fk_child_parent")))
        #expect(holds(.uniqueConstraintExists(schema: nil, table: "parent", name: "parent_code", columns: [])))
        #expect(holds(.rowCount(schema: nil, table: "parent", expected: 2)) && holds(.tableIsEmpty(schema: nil, table: "child")))
        #expect(holds(.sqlCheck(expected: "b", sql: "SELECT max(code) FROM parent;")))
        #expect(holds(.runningAs(username: "POSTGRES")) && !holds(.runningAs(username: "someone")))
        #expect(holds(.dbms(types: ["postgresql"])))
        #expect(PreconditionEvaluator.evaluate(Preconditions(conditions: [.sqlCheck(expected: "1", sql: "SELECT nonsense")],
                                                             location: ChangelogLocation(file: "x", line: 1)), probe: probe) != .passed)
    }
}
