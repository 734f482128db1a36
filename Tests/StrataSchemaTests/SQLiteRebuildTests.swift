import StrataSchema
import Testing

/// SQLite's twelve-step rebuild as a plan, without a database.
@Suite struct SQLiteRebuildTests {
    static let parent = Table(name: QualifiedName("parents"), columns: [Column(name: "id", type: "INTEGER", nullable: false)],
                              primaryKey: PrimaryKey(columns: ["id"]))
    static let child = Table(
        name: QualifiedName("children"),
        columns: [Column(name: "id", type: "INTEGER", nullable: false), Column(name: "parent_id", type: "INTEGER"),
                  Column(name: "name", type: "TEXT")],
        primaryKey: PrimaryKey(columns: ["id"]),
        foreignKeys: [ForeignKey(columns: ["parent_id"], referencedTable: QualifiedName("parents"), referencedColumns: ["id"], onDelete: .cascade)],
        indexes: [Index(name: "children_named", keys: [.init("name")], predicate: "name IS NOT NULL")])
    static let names = View(name: QualifiedName("child_names"), definition: "SELECT name FROM children", dependsOn: [QualifiedName("children")])
    static let audit = Trigger(name: "children_audit", table: QualifiedName("children"),
                               definition: "CREATE TRIGGER children_audit AFTER DELETE ON children BEGIN SELECT 1; END")
    static let schema = Schema(tables: [child, parent], views: [names], triggers: [audit])

    @Test func aCheckAddedRebuildsTheTableWithViewsAndTriggersAroundIt() throws {
        var target = Self.schema
        target.tables[0].checks = [CheckConstraint(name: "named", expression: "name <> ''")]
        let plan = try diff(from: Self.schema, to: target, flavor: .sqlite)
        #expect(plan.changes == [
            .dropTrigger(Self.audit), .dropView(Self.names),
            .rebuildTable(SQLiteTableRebuild(from: Self.schema.tables[0], to: target.tables[0])),
            .createView(Self.names), .createTrigger(Self.audit),
        ])
        let script = try plan.script()
        #expect(script.statements.map(\.sql) == [
            "PRAGMA foreign_keys = OFF;",
            "DROP TRIGGER children_audit;",
            "DROP VIEW child_names;",
            """
            CREATE TABLE strata_new_children (
                id INTEGER NOT NULL,
                parent_id INTEGER,
                name TEXT,
                PRIMARY KEY (id),
                FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE,
                CONSTRAINT named CHECK (name <> '')
            );
            """,
            "INSERT INTO strata_new_children (id, parent_id, name)\n    SELECT id, parent_id, name FROM children;",
            "DROP TABLE children;",
            "ALTER TABLE strata_new_children RENAME TO children;",
            "CREATE INDEX children_named ON children (name) WHERE name IS NOT NULL;",
            "CREATE VIEW child_names AS\nSELECT name FROM children;",
            "CREATE TRIGGER children_audit AFTER DELETE ON children BEGIN SELECT 1; END;",
            "CREATE TEMP TABLE strata_foreign_key_check (violations INTEGER CHECK (violations = 0));",
            "INSERT INTO strata_foreign_key_check SELECT count(*) FROM pragma_foreign_key_check;",
            "DROP TABLE strata_foreign_key_check;",
            "PRAGMA foreign_keys = ON;",
        ])
        #expect(script.statements.filter(\.outsideTransaction).map(\.sql) == ["PRAGMA foreign_keys = OFF;", "PRAGMA foreign_keys = ON;"])
        #expect(script.needsOwnTransaction)
        let text = script.text
        #expect(text.hasPrefix("-- strata:transaction=false\n\nPRAGMA foreign_keys = OFF;\n\nBEGIN;\n\nDROP TRIGGER children_audit;\n"))
        #expect(text.hasSuffix("DROP TABLE strata_foreign_key_check;\n\nCOMMIT;\n\nPRAGMA foreign_keys = ON;\n"))
    }

    @Test func whatAlterTableCanDoStaysAnAlter() throws {
        var target = Self.schema
        target.tables[0].columns.append(Column(name: "age", type: "INTEGER", defaultValue: "0"))
        target.tables[0].indexes = []
        let plan = try diff(from: Self.schema, to: target, flavor: .sqlite)
        #expect(plan.changes == [
            .dropIndex(table: QualifiedName("children"), Self.child.indexes[0]),
            .addColumn(table: QualifiedName("children"), Column(name: "age", type: "INTEGER", defaultValue: "0")),
        ])
        #expect(!(try plan.script().needsOwnTransaction))
    }

    @Test func aColumnSQLiteCannotDropInPlaceIsDroppedByARebuild() throws {
        var withoutName = Self.schema
        withoutName.tables[0].columns.removeLast()
        withoutName.tables[0].indexes = []
        withoutName.views = []
        let indexed = try diff(from: Self.schema, to: withoutName, flavor: .sqlite)
        #expect(indexed.changes.contains { if case .rebuildTable(let rebuild) = $0 { rebuild.isDestructive } else { false } })

        var plain = Self.schema
        plain.tables[0].indexes = []
        var dropped = plain
        dropped.tables[0].columns.removeLast()
        dropped.views = []
        dropped.triggers = []
        #expect(try diff(from: plain, to: dropped, flavor: .sqlite).changes == [
            .dropTrigger(Self.audit), .dropView(Self.names),
            .dropColumn(table: QualifiedName("children"), Column(name: "name", type: "TEXT")),
        ])
    }

    @Test func aRebuildCopiesOnlyColumnsBothTablesHaveAndItsInverseRebuildsBack() {
        var target = Self.child
        target.columns[2] = Column(name: "label", type: "TEXT", nullable: false, defaultValue: "''")
        target.columns.append(Column(name: "upper_label", type: "TEXT", generated: "upper(label)"))
        let rebuild = SQLiteTableRebuild(from: Self.child, to: target)
        #expect(rebuild.copiedColumns == ["id", "parent_id"])
        #expect(rebuild.isDestructive)
        #expect(SchemaChange.rebuildTable(rebuild).inverse == .rebuildTable(SQLiteTableRebuild(from: target, to: Self.child)))
        #expect(throws: SchemaChangeError.self) { try SchemaChange.rebuildTable(rebuild).statements(for: .postgresql) }
    }
}
