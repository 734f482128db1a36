import Foundation
import StrataSchema
import StrataTestSupport
import Testing

/// The SQL of schema changes run on a real PostgreSQL server: a realistic schema made from
/// nothing, changed, and dropped again.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct SchemaChangePostgresTests {
    let server = TestPostgres.shared!

    static func name(_ name: String, in schema: String? = nil) -> QualifiedName { QualifiedName(schema: schema, name) }

    static let store: Schema = {
        let customers = Table(
            name: name("customers"),
            columns: [Column(name: "id", type: "bigint", nullable: false, identity: .always),
                      Column(name: "email", type: "citext", nullable: false),
                      Column(name: "status", type: "status", nullable: false, defaultValue: "'active'::status"),
                      Column(name: "Nick Name", type: "character varying(40)", comment: "shown to others")],
            primaryKey: PrimaryKey(name: "customers_pkey", columns: ["id"]),
            uniques: [UniqueConstraint(name: "customers_email_key", columns: ["email"])],
            indexes: [Index(name: "customers_active_email", keys: [.init("lower((email)::text)", isColumn: false)], predicate: "status = 'active'::status")],
            comment: "people who buy")
        let orders = Table(
            name: name("orders"),
            columns: [Column(name: "id", type: "integer", nullable: false, defaultValue: "nextval('orders_id_seq'::regclass)"),
                      Column(name: "customer_id", type: "bigint", nullable: false),
                      Column(name: "total", type: "money_amount"),
                      Column(name: "placed", type: "timestamp with time zone", nullable: false, defaultValue: "now()"),
                      Column(name: "total_cents", type: "numeric", generated: "(total * (100)::numeric)")],
            primaryKey: PrimaryKey(name: "orders_pkey", columns: ["id"]),
            foreignKeys: [ForeignKey(name: "orders_customer_id_fkey", columns: ["customer_id"], referencedTable: name("customers"),
                                     referencedColumns: ["id"], onDelete: .cascade)],
            checks: [CheckConstraint(name: "orders_placed_check", expression: "placed > '2000-01-01 00:00:00+00'::timestamp with time zone")],
            indexes: [Index(name: "orders_by_customer", keys: [.init("customer_id"), .init("placed", descending: true)], include: ["total"])])
        let departments = Table(
            name: name("departments", in: "hr"),
            columns: [Column(name: "id", type: "integer", nullable: false), Column(name: "head_id", type: "integer")],
            primaryKey: PrimaryKey(name: "departments_pkey", columns: ["id"]),
            foreignKeys: [ForeignKey(name: "departments_head_fkey", columns: ["head_id"], referencedTable: name("employees", in: "hr"),
                                     referencedColumns: ["id"], deferrable: .initiallyDeferred)])
        let employees = Table(
            name: name("employees", in: "hr"),
            columns: [Column(name: "id", type: "integer", nullable: false), Column(name: "department_id", type: "integer"),
                      Column(name: "manager_id", type: "integer")],
            primaryKey: PrimaryKey(name: "employees_pkey", columns: ["id"]),
            foreignKeys: [ForeignKey(name: "employees_department_fkey", columns: ["department_id"], referencedTable: name("departments", in: "hr"),
                                     referencedColumns: ["id"], onDelete: .setNull),
                          ForeignKey(name: "employees_manager_fkey", columns: ["manager_id"], referencedTable: name("employees", in: "hr"),
                                     referencedColumns: ["id"])])
        return Schema(
            namespaces: ["hr"],
            extensions: [Extension(name: "citext")],
            enums: [EnumType(name: name("status"), values: ["active", "closed"], comment: "a customer's state")],
            domains: [Domain(name: name("money_amount"), type: "numeric(12,2)", checks: [CheckConstraint(name: "money_amount_check", expression: "VALUE >= 0")])],
            sequences: [Sequence(name: name("orders_id_seq"), type: "integer", maximum: 2147483647, ownedBy: "orders.id")],
            tables: [customers, orders, departments, employees],
            views: [
                View(name: name("order_totals"), definition: "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
                     dependsOn: [name("orders")]),
                View(name: name("big_spenders"), definition: "SELECT c.email, t.total FROM customers c JOIN order_totals t ON t.customer_id = c.id WHERE t.total > 1000",
                     comment: "worth a call", dependsOn: [name("customers"), name("order_totals")]),
                View(name: name("spender_count"), definition: "SELECT count(*) AS n FROM big_spenders", materialized: true,
                     dependsOn: [name("big_spenders")]),
            ],
            routines: [Routine(name: name("touch_placed"), signature: "", definition: """
                CREATE FUNCTION touch_placed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.placed := now(); RETURN NEW; END $$
                """)],
            triggers: [Trigger(name: "orders_touch", table: name("orders"),
                               definition: "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_placed()")],
            others: [OpaqueObject(kind: "policy", name: name("own_orders"),
                                  definition: "CREATE POLICY own_orders ON orders USING (customer_id > 0)", drop: "DROP POLICY own_orders ON orders")])
    }()

    private func apply(_ sql: String, to database: String) throws {
        let file = NSTemporaryDirectory() + "strata-schema-\(database)-\(UUID().uuidString).sql"
        try sql.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try server.psqlFile(file, database: database)
    }

    @Test func aRealisticSchemaIsMadeFromNothingChangedAndDroppedAgain() throws {
        let database = try server.createDatabase()
        try apply("BEGIN;\n" + (try render(Self.store, flavor: .postgresql)) + "COMMIT;\n", to: database)
        try server.psql("""
            INSERT INTO customers (email) VALUES ('A@x.org');
            INSERT INTO orders (customer_id, total) SELECT id, 2000 FROM customers;
            REFRESH MATERIALIZED VIEW spender_count;
            """, database: database)
        #expect(try server.psql("SELECT n FROM spender_count", database: database) == "1\n")
        #expect(try server.psql("SELECT obj_description('customers'::regclass)", database: database) == "people who buy\n")

        var changed = Self.store
        changed.enums[0].values.insert("paused", at: 1)
        changed.tables[1].columns[2].type = "numeric(14,2)"  // under three views
        changed.tables[1].checks = []
        changed.tables[0].columns[3].name = "nickname"
        changed.tables[3].foreignKeys.removeLast()
        changed.routines[0].definition = changed.routines[0].definition.replacingOccurrences(of: "now()", with: "clock_timestamp()")
        let forward = try diff(from: Self.store, to: changed, flavor: .postgresql,
                               renames: SchemaRenames(columns: [Self.name("customers"): ["Nick Name": "nickname"]]))
        try apply("BEGIN;\n" + (try forward.script().text) + "COMMIT;\n", to: database)
        #expect(try server.psql("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total'", database: database)
            == "numeric(14,2)\n")
        #expect(try server.psql("SELECT count(*) FROM big_spenders", database: database) == "1\n")
        #expect(try server.psql("SELECT enum_range(NULL::status)", database: database) == "{active,paused,closed}\n")

        try apply("BEGIN;\n" + (try diff(from: changed, to: .empty, flavor: .postgresql).script().text) + "COMMIT;\n", to: database)
        #expect(try server.psql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'hr')", database: database)
            == "0\n")
        #expect(try server.psql("SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'", database: database) == "0\n")
    }
}
