import StrataSchema
import Testing

/// The diff's order, renames and its robustness to how the engine spells things.
@Suite struct SchemaDiffTests {
    static let customers = Table(
        name: QualifiedName("customers"),
        columns: [Column(name: "id", type: "integer", nullable: false), Column(name: "name", type: "text"),
                  Column(name: "status", type: "status")],
        primaryKey: PrimaryKey(name: "customers_pkey", columns: ["id"]))
    static let orders = Table(
        name: QualifiedName("orders"),
        columns: [Column(name: "id", type: "integer", nullable: false), Column(name: "customer_id", type: "integer"),
                  Column(name: "total", type: "numeric(10,2)")],
        primaryKey: PrimaryKey(name: "orders_pkey", columns: ["id"]),
        foreignKeys: [ForeignKey(name: "orders_customer_id_fkey", columns: ["customer_id"], referencedTable: QualifiedName("customers"),
                                 referencedColumns: ["id"], onDelete: .cascade)],
        indexes: [Index(name: "orders_customer", keys: [.init("customer_id")])])
    static let big = View(name: QualifiedName("big_orders"), definition: "SELECT id, total FROM orders WHERE total > 100",
                          dependsOn: [QualifiedName("orders")])
    static let bigCount = View(name: QualifiedName("big_order_count"), definition: "SELECT count(*) FROM big_orders",
                               dependsOn: [QualifiedName("big_orders")])
    static let shop = Schema(
        enums: [EnumType(name: QualifiedName("status"), values: ["active", "closed"])],
        tables: [customers, orders], views: [big, bigCount])

    func kinds(_ changes: [SchemaChange]) -> [String] {
        changes.map { change in
            switch change {
            case .createEnum(let type): "createEnum \(type.name)"
            case .dropEnum(let type): "dropEnum \(type.name)"
            case .createTable(let table): "createTable \(table.name)"
            case .dropTable(let table): "dropTable \(table.name)"
            case .addConstraint(let table, .foreignKey(let key)): "addForeignKey \(table) → \(key.referencedTable)"
            case .dropConstraint(let table, .foreignKey(let key)): "dropForeignKey \(table) → \(key.referencedTable)"
            case .createView(let view): "createView \(view.name)"
            case .dropView(let view): "dropView \(view.name)"
            case .alterColumnType(let table, let column, _, let to, _): "alterColumnType \(table).\(column) \(to.type)"
            case .alterColumnDefault(let table, let column, _, let to): "alterColumnDefault \(table).\(column) \(to ?? "nil")"
            case .createIndex(_, let index): "createIndex \(index.name)"
            case .rebuildTable(let rebuild): "rebuildTable \(rebuild.to.name)"
            case .replaceRoutine(_, let routine): "replaceRoutine \(routine.name)"
            case .createTrigger(let trigger): "createTrigger \(trigger.name)"
            case .dropTrigger(let trigger): "dropTrigger \(trigger.name)"
            default: "\(change)"
            }
        }
    }

    @Test func fromEmptyTypesComeFirstForeignKeysAfterEveryTableViewsOnViewsInOrder() throws {
        let changes = try diff(from: .empty, to: Self.shop, flavor: .postgresql).changes
        #expect(kinds(changes) == [
            "createEnum status", "createTable customers", "createTable orders", "addForeignKey orders → customers",
            "createView big_orders", "createView big_order_count",
        ])
        let dropAll = try diff(from: Self.shop, to: .empty, flavor: .postgresql).changes
        #expect(kinds(dropAll) == [
            "dropView big_order_count", "dropView big_orders", "dropForeignKey orders → customers",
            "dropTable customers", "dropTable orders", "dropEnum status",
        ])
        #expect(dropAll.filter(\.isDestructive).count == 2)
    }

    @Test func foreignKeyCyclesWork() throws {
        var a = Table(name: QualifiedName("a"), columns: [Column(name: "id", type: "integer"), Column(name: "b_id", type: "integer")])
        var b = Table(name: QualifiedName("b"), columns: [Column(name: "id", type: "integer"), Column(name: "a_id", type: "integer")])
        a.foreignKeys = [ForeignKey(columns: ["b_id"], referencedTable: b.name, referencedColumns: ["id"])]
        b.foreignKeys = [ForeignKey(columns: ["a_id"], referencedTable: a.name, referencedColumns: ["id"])]
        let cycle = Schema(tables: [a, b])
        #expect(kinds(try diff(from: .empty, to: cycle, flavor: .postgresql).changes) == [
            "createTable a", "createTable b", "addForeignKey a → b", "addForeignKey b → a",
        ])
        #expect(kinds(try diff(from: cycle, to: .empty, flavor: .postgresql).changes) == [
            "dropForeignKey a → b", "dropForeignKey b → a", "dropTable a", "dropTable b",
        ])
        // SQLite declares foreign keys in CREATE TABLE, which may name a table not made yet.
        #expect(kinds(try diff(from: .empty, to: cycle, flavor: .sqlite).changes) == ["createTable a", "createTable b"])
    }

    @Test func viewsAreDroppedBeforeAColumnTheyReadChangesAndRecreatedAfter() throws {
        var target = Self.shop
        target.tables[1].columns[2] = Column(name: "total", type: "numeric(12,2)", defaultValue: "0")
        var source = Self.shop
        source.tables[1].columns[2].defaultValue = "1"
        let changes = try diff(from: source, to: target, flavor: .postgresql).changes
        #expect(kinds(changes) == [
            "dropView big_order_count", "dropView big_orders", "alterColumnDefault orders.total nil",
            "alterColumnType orders.total numeric(12,2)", "alterColumnDefault orders.total 0",
            "createView big_orders", "createView big_order_count",
        ])
        // Adding a column disturbs no view.
        var added = Self.shop
        added.tables[1].columns.append(Column(name: "note", type: "text"))
        #expect(try diff(from: Self.shop, to: added, flavor: .postgresql).changes == [
            .addColumn(table: QualifiedName("orders"), Column(name: "note", type: "text")),
        ])
    }

    @Test func functionsComeBeforeTheTriggersThatCallThemAndIndexesAfterTheirTables() throws {
        let function = Routine(name: QualifiedName("touch"), signature: "",
                               definition: "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
        let trigger = Trigger(name: "orders_touch", table: QualifiedName("orders"),
                              definition: "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()")
        var schema = Self.shop
        schema.routines = [function]
        schema.triggers = [trigger]
        var withIndex = schema
        withIndex.tables[1].indexes.append(Index(name: "orders_total", keys: [.init("total")]))
        let changes = kinds(try diff(from: .empty, to: withIndex, flavor: .postgresql).changes)
        #expect(changes.firstIndex(of: "replaceRoutine touch")! < changes.firstIndex(of: "createTable customers")!)
        #expect(changes.last == "createTrigger orders_touch")
        #expect(kinds(try diff(from: schema, to: withIndex, flavor: .postgresql).changes) == ["createIndex orders_total"])
        var removed = schema
        removed.routines = []
        removed.triggers = []
        #expect(kinds(try diff(from: schema, to: removed, flavor: .postgresql).changes) == ["dropTrigger orders_touch", "\(SchemaChange.dropRoutine(function))"])
    }

    @Test func explicitRenamesBecomeRenamesAndOthersAreReportedAsPossible() throws {
        var target = Self.shop
        target.tables[1].columns[2].name = "amount"
        target.views[0].definition = "SELECT id, amount AS total FROM orders WHERE amount > 100"
        let guessed = try diff(from: Self.shop, to: target, flavor: .postgresql)
        #expect(guessed.possibleRenames == [PossibleRename(table: QualifiedName("orders"), from: "total", to: "amount")])
        #expect(guessed.changes.contains { $0.isDestructive })

        let renamed = try diff(from: Self.shop, to: target, flavor: .postgresql,
                               renames: SchemaRenames(columns: [QualifiedName("orders"): ["total": "amount"]]))
        #expect(renamed.possibleRenames.isEmpty)
        #expect(!renamed.changes.contains { $0.isDestructive })
        #expect(renamed.changes.first == .renameColumn(table: QualifiedName("orders"), from: "total", to: "amount"))

        var movedTable = Self.shop
        movedTable.tables[1].name = QualifiedName("purchases")
        movedTable.views[0].dependsOn = [QualifiedName("purchases")]
        movedTable.views[0].definition = "SELECT id, total FROM purchases WHERE total > 100"
        let tableRename = try diff(from: Self.shop, to: movedTable, flavor: .postgresql,
                                   renames: SchemaRenames(tables: [QualifiedName("orders"): QualifiedName("purchases")]))
        #expect(kinds(tableRename.changes) == [
            "\(SchemaChange.renameTable(from: QualifiedName("orders"), to: QualifiedName("purchases")))",
            "dropView big_order_count", "dropView big_orders", "createView big_orders", "createView big_order_count",
        ])
        #expect(throws: SchemaChangeError.renamedTableNotFound(from: QualifiedName("nope"), to: QualifiedName("purchases"))) {
            try diff(from: Self.shop, to: movedTable, flavor: .postgresql, renames: SchemaRenames(tables: [QualifiedName("nope"): QualifiedName("purchases")]))
        }
    }

    @Test func spellingsTheEngineTreatsAlikeAreNoChange() throws {
        var spelled = Self.shop
        spelled.tables[1].columns[2].type = "NUMERIC(10, 2)"
        spelled.tables[1].columns[1].type = "int4"
        spelled.tables[1].columns[0].nullable = true  // a primary key column is NOT NULL anyway
        spelled.tables[1].primaryKey?.name = nil
        spelled.tables[1].foreignKeys[0].referencedColumns = []
        spelled.views[0].definition = "select id,  total\n  from \"orders\" where total > 100;"
        spelled.tables.reverse()
        let changes = try diff(from: Self.shop, to: spelled, flavor: .postgresql).changes
        #expect(changes == [], "\(changes)")
        #expect(try diff(from: spelled, to: Self.shop, flavor: .postgresql).isEmpty)
    }

    @Test func enumValuesAreAddedInPlaceButNotRemoved() throws {
        var more = Self.shop
        more.enums[0].values = ["new", "active", "paused", "closed", "archived"]
        #expect(try diff(from: Self.shop, to: more, flavor: .postgresql).changes == [
            .addEnumValue(type: QualifiedName("status"), value: "new", before: "active"),
            .addEnumValue(type: QualifiedName("status"), value: "paused", before: "closed"),
            .addEnumValue(type: QualifiedName("status"), value: "archived", before: nil),
        ])
        #expect(throws: SchemaChangeError.self) { try diff(from: more, to: Self.shop, flavor: .postgresql) }
    }

    @Test func sequencesAreOwnedOnceTheirTableExists() throws {
        var schema = Self.shop
        schema.sequences = [Sequence(name: QualifiedName("orders_id_seq"), type: "integer", maximum: 2147483647, ownedBy: "orders.id")]
        schema.tables[1].columns[0].defaultValue = "nextval('orders_id_seq'::regclass)"
        let changes = try diff(from: .empty, to: schema, flavor: .postgresql).changes
        var unowned = schema.sequences[0]
        unowned.ownedBy = nil
        #expect(changes.firstIndex(of: .createSequence(unowned))! < changes.firstIndex { if case .createTable = $0 { true } else { false } }!)
        #expect(changes.contains(.alterSequence(from: unowned, to: schema.sequences[0])))
        // Dropping the table drops its sequence too.
        var tableless = schema
        tableless.tables.removeAll { $0.name.name == "orders" }
        tableless.views = []
        tableless.sequences = []
        #expect(!(try diff(from: schema, to: tableless, flavor: .postgresql).changes.contains { if case .dropSequence = $0 { true } else { false } }))
    }

    @Test func theInverseOfADiffTakesTheNewSchemaBack() throws {
        var target = Self.shop
        target.tables[0].columns.append(Column(name: "email", type: "text"))
        target.tables[1].indexes = []
        let forward = try diff(from: Self.shop, to: target, flavor: .postgresql)
        let backward = try diff(from: target, to: Self.shop, flavor: .postgresql)
        #expect(Set(forward.inverse!.changes) == Set(backward.changes))
    }

    @Test func renderIsStableAndOneStatementPerGroup() throws {
        let text = try render(Self.shop, flavor: .postgresql)
        var shuffled = Self.shop
        shuffled.tables.reverse()
        shuffled.views.reverse()
        #expect(try render(shuffled, flavor: .postgresql) == text)
        #expect(text.hasPrefix("CREATE TYPE status AS ENUM ('active', 'closed');\n\nCREATE TABLE customers (\n"))
        #expect(text.contains(";\n\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;\n\n"))
        #expect(text.hasSuffix("CREATE VIEW big_order_count AS\nSELECT count(*) FROM big_orders;\n"))
    }
}
