import Foundation
import Strata
import StrataSQLite
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// A change SQLite's `ALTER TABLE` cannot make becomes a table rebuild; the views that read
/// the table (and the views on those), its triggers and indexes must survive it.
@Suite struct LiquibaseSQLiteRebuildTests {
    @Test(arguments: [
        #"<addNotNullConstraint tableName="t" columnName="n" defaultNullValue="0" columnDataType="int"/>"#,
        #"<addDefaultValue tableName="t" columnName="n" defaultValueNumeric="5"/>"#,
        #"<addUniqueConstraint tableName="t" columnNames="n" constraintName="t_n_key"/>"#,
        #"<addAutoIncrement tableName="t" columnName="id" columnDataType="int"/>"#,
    ])
    func rebuildKeepsDependentViewsTriggersAndIndexes(change: String) throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.executeScript("""
            CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);
            CREATE TABLE audit (id INTEGER);
            CREATE INDEX t_n ON t (n);
            CREATE VIEW v AS SELECT id, n FROM t;
            CREATE VIEW w AS SELECT id FROM v;
            CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN INSERT INTO audit (id) VALUES (new.id); END;
            CREATE TRIGGER audit_check AFTER DELETE ON audit BEGIN DELETE FROM t WHERE id = old.id; END;
            INSERT INTO t (id, n) VALUES (1, NULL);
            """)
        let folder = TemporaryFolder()
        folder.write("changelog.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
            <changeSet id="1" author="a">\(change)</changeSet>
            </databaseChangeLog>
            """)
        let changelog = try LiquibaseChangelog.load(path: "changelog.xml", searchPath: folder.path)
        let changeSet = try #require(changelog.changeSets.first)
        let schema = try database.introspectSchema(namespaces: [], excluding: [])
        try database.executeScript(try changeSet.statements(for: .sqlite, schema: schema).map(\.sql).joined(separator: "\n"))
        let objects = try database.query("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1", []).compactMap { $0[0].string }
        #expect(Set(objects).isSuperset(of: ["index t_n", "table audit", "table t", "trigger audit_check", "trigger t_audit", "view v", "view w"]), "\(objects)")
        try database.execute("INSERT INTO t (id, n) VALUES (2, 3)", [])
        #expect(try database.query("SELECT CAST(count(*) AS TEXT) FROM audit", []).first?[0].string == "2")
        #expect(try database.query("SELECT group_concat(id) FROM w", []).first?[0].string == "1,2")
    }
}
