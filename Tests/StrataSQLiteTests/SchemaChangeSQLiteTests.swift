import Foundation
import Strata
import StrataSchema
import StrataSQLite
import StrataTestSupport
import Testing

/// The SQL of schema changes run on real SQLite files: a rebuilt table keeps every row,
/// index, trigger, view and foreign-key action.
@Suite struct SchemaChangeSQLiteTests {
    let folder = TemporaryFolder()

    static let parents = Table(
        name: QualifiedName("parents"),
        columns: [Column(name: "id", type: "INTEGER", nullable: false), Column(name: "name", type: "TEXT")],
        primaryKey: PrimaryKey(columns: ["id"]))
    static let children = Table(
        name: QualifiedName("children"),
        columns: [Column(name: "id", type: "INTEGER", nullable: false), Column(name: "parent_id", type: "INTEGER"),
                  Column(name: "name", type: "TEXT"), Column(name: "size", type: "INTEGER", defaultValue: "1")],
        primaryKey: PrimaryKey(columns: ["id"]),
        foreignKeys: [ForeignKey(columns: ["parent_id"], referencedTable: QualifiedName("parents"), referencedColumns: ["id"],
                                 onDelete: .cascade)],
        indexes: [Index(name: "children_named", keys: [.init("name")], predicate: "name IS NOT NULL")])
    static let log = Table(name: QualifiedName("deleted_children"), columns: [Column(name: "child_id", type: "INTEGER")])
    static let schema = Schema(
        tables: [parents, children, log],
        views: [View(name: QualifiedName("named_children"), definition: "SELECT id, name FROM children WHERE name IS NOT NULL",
                     dependsOn: [QualifiedName("children")]),
                View(name: QualifiedName("named_count"), definition: "SELECT count(*) AS n FROM named_children",
                     dependsOn: [QualifiedName("named_children")])],
        triggers: [Trigger(name: "children_deleted", table: QualifiedName("children"), definition: """
            CREATE TRIGGER children_deleted AFTER DELETE ON children BEGIN
                INSERT INTO deleted_children (child_id) VALUES (old.id);
            END
            """)])

    /// A database holding `schema` and rows: two parents, three children, foreign keys on.
    private func database(_ schema: Schema = Self.schema) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: folder.file("schema.db"))
        try database.executeScript(try render(schema, flavor: .sqlite))
        try database.executeScript("""
            INSERT INTO parents VALUES (1, 'a'), (2, 'b');
            INSERT INTO children (id, parent_id, name) VALUES (1, 1, 'x'), (2, 1, NULL), (3, 2, 'z');
            PRAGMA foreign_keys = ON;
            """)
        return database
    }

    private func scalar(_ database: SQLiteDatabase, _ sql: String) throws -> Int? {
        try database.query(sql, []).first?.first?.int
    }

    private func objects(_ database: SQLiteDatabase) throws -> [String] {
        try database.query("SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1", [])
            .compactMap { $0[0].string }
    }

    @Test func aRebuiltChildTableKeepsRowsIndexesTriggersViewsAndItsCascade() throws {
        let database = try database()
        let before = try objects(database)
        var target = Self.schema
        target.tables[1].checks = [CheckConstraint(name: "small", expression: "size < 100")]
        target.tables[1].columns[3].nullable = false
        let plan = try diff(from: Self.schema, to: target, flavor: .sqlite)
        #expect(plan.changes.contains { if case .rebuildTable = $0 { true } else { false } })
        try database.executeScript(try plan.script().text)

        #expect(try objects(database) == before)
        #expect(try scalar(database, "SELECT count(*) FROM children") == 3)
        #expect(try scalar(database, "SELECT n FROM named_count") == 2)
        #expect(try scalar(database, "PRAGMA foreign_keys") == 1)
        #expect(try database.query("SELECT sql FROM sqlite_schema WHERE name = 'children'", []).first?[0].string?.contains("CHECK (size < 100)") == true)
        #expect(throws: (any Error).self) { try database.executeScript("INSERT INTO children (id, parent_id, size) VALUES (9, 1, 500)") }
        try database.executeScript("DELETE FROM parents WHERE id = 1")
        #expect(try scalar(database, "SELECT count(*) FROM children") == 1, "the cascade still fires")
        #expect(try scalar(database, "SELECT count(*) FROM deleted_children") == 2, "the trigger still fires")
        #expect(try diff(from: target, to: target, flavor: .sqlite).isEmpty)
    }

    @Test func rebuildingAParentTableUnderCascadeDeletesNoChild() throws {
        let database = try database()
        var target = Self.schema
        target.tables[0].columns[1] = Column(name: "name", type: "TEXT", nullable: false, defaultValue: "''")
        try database.executeScript(try diff(from: Self.schema, to: target, flavor: .sqlite).script().text)
        #expect(try scalar(database, "SELECT count(*) FROM children") == 3)
        #expect(try scalar(database, "SELECT count(*) FROM deleted_children") == 0)
        try database.executeScript("DELETE FROM parents WHERE id = 2")
        #expect(try scalar(database, "SELECT count(*) FROM children") == 2)
    }

    @Test func aRebuildThatBreaksAForeignKeyFailsBeforeCommitting() throws {
        let database = try database()
        var orphaned = Self.schema
        orphaned.tables[2].foreignKeys = [ForeignKey(columns: ["child_id"], referencedTable: QualifiedName("children"), referencedColumns: ["id"])]
        try database.executeScript("INSERT INTO deleted_children VALUES (42)")
        #expect(throws: ScriptError.self) {
            try database.executeScript(try diff(from: Self.schema, to: orphaned, flavor: .sqlite).script().text)
        }
        #expect(try database.query("SELECT sql FROM sqlite_schema WHERE name = 'deleted_children'", []).first?[0].string?.contains("FOREIGN KEY") == false)
        #expect(try scalar(database, "PRAGMA foreign_keys") == 1, "the failed script's PRAGMA foreign_keys = OFF is undone")
        try database.inTransaction { try database.execute("INSERT INTO parents VALUES (3, 'c')") }
    }

    @Test func aFailedRebuildMigrationLeavesTheConnectionUsable() throws {
        var orphaned = Self.schema
        orphaned.tables[2].foreignKeys = [ForeignKey(columns: ["child_id"], referencedTable: QualifiedName("children"), referencedColumns: ["id"])]
        folder.write("m/V1__schema.sql", try render(Self.schema, flavor: .sqlite) + "INSERT INTO deleted_children VALUES (42);\n")
        folder.write("m/V2__orphan.sql", try diff(from: Self.schema, to: orphaned, flavor: .sqlite).script().text)
        let database = try SQLiteDatabase(path: folder.file("failed.db"))
        try database.execute("PRAGMA foreign_keys = ON")
        let migrator = Migrator(database: database, catalog: try LocationReader.read(locations: [folder.file("m")]))
        #expect(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(try scalar(database, "SELECT count(*) FROM strata_schema_history WHERE success = 0") == 1, "the failure is recorded")
        #expect(try scalar(database, "PRAGMA foreign_keys") == 1)
        #expect(try scalar(database, "SELECT count(*) FROM sqlite_schema WHERE name = 'strata_new_deleted_children'") == 0)
        try database.inTransaction { try database.execute("INSERT INTO deleted_children VALUES (7)") }
    }

    @Test func plainAltersAndDropsRunAsTheyAre() throws {
        let database = try database()
        var target = Self.schema
        target.tables[0].columns.append(Column(name: "born", type: "TEXT", defaultValue: "'unknown'"))
        target.tables[1].indexes = []
        target.tables[2].columns.append(Column(name: "note", type: "TEXT"))
        let plan = try diff(from: Self.schema, to: target, flavor: .sqlite)
        #expect(!(try plan.script().needsOwnTransaction))
        try database.executeScript(try plan.script().text)
        #expect(try database.query("SELECT born FROM parents WHERE id = 1", []).first?[0].string == "unknown")
        #expect(try !objects(database).contains("index children_named"))
        try database.executeScript(try diff(from: target, to: .empty, flavor: .sqlite).script().text)
        #expect(try objects(database) == [])
    }

    @Test func aGeneratedRebuildRunsAsAStrataMigration() throws {
        var target = Self.schema
        target.tables[1].checks = [CheckConstraint(name: "small", expression: "size < 100")]
        folder.write("m/V1__schema.sql", try render(Self.schema, flavor: .sqlite))
        folder.write("m/V2__check.sql", try diff(from: Self.schema, to: target, flavor: .sqlite).script().text)
        let migrator = Migrator(database: try SQLiteDatabase(path: folder.file("migrated.db")),
                                catalog: try LocationReader.read(locations: [folder.file("m")]))
        try migrator.migrate()
        let check = try migrator.database.query("SELECT sql FROM sqlite_schema WHERE name = 'children'", []).first?[0].string
        #expect(check?.contains("CHECK (size < 100)") == true)
        #expect(try migrator.database.query("SELECT count(*) FROM strata_schema_history WHERE success = 1", []).first?[0].int == 2)
    }
}
