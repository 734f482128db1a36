import Foundation
import Strata
@testable import StrataPostgres
import StrataSchema
import StrataTestSupport
import Testing

/// PostgreSQL introspection on the test server, with the shop schema as the main fixture.
@Suite(.enabled(if: TestPostgres.available, "PostgreSQL is not installed here; skipping"))
struct PostgresIntrospectionTests {
    let server = TestPostgres.shared!
    let folder = TemporaryFolder()
    let database: String

    static let shopSchema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schemas/shop.postgres.sql").path

    init() throws {
        database = try server.createDatabase()
    }

    private func connect(schemas: [String] = []) throws -> PostgresDatabase {
        try PostgresDatabase(conninfo: server.url(database: database), schemas: schemas)
    }

    private func shop() throws -> Schema {
        try server.psqlFile(Self.shopSchema, database: database)
        return try connect().introspectSchema(namespaces: [], excluding: [])
    }

    @Test func theShopHasEveryKindOfObject() throws {
        let schema = try shop()
        #expect(schema.namespaces == ["billing"])
        #expect(schema.tables.count == 37)
        #expect(schema.tables.filter { $0.name.schema == "billing" }.count == 6)
        #expect(schema.views.map(\.name.description) == [
            "customer_order_summary", "product_catalog", "rated_products", "sales_by_month", "top_rated_products", "billing.outstanding_invoices",
        ])
        #expect(schema.enums.map(\.name.description) == ["order_status", "shipment_state", "billing.payment_method"])
        #expect(schema.domains.map(\.name.description) == ["email_address", "money_amount", "rating_value", "billing.vat_rate"])
        #expect(schema.extensions == [Extension(name: "citext", version: "1.6")])
        #expect(schema.routines.map { "\($0.name)(\($0.signature))" } == [
            "log_order_change()", "order_total(p_order_id bigint)", "set_updated_at()", "slugify(value text)",
            "slugify(value text, max_length integer)", "billing.cancel_unpaid_orders(IN older_than interval)", "billing.mark_invoice_paid()",
        ])
        #expect(schema.triggers.count == 5)
        #expect(schema.sequences.map(\.name.description) == ["price_history_id_seq", "tags_id_seq", "billing.invoice_number_seq"],
                "identity columns' own sequences belong to their columns")
        #expect(schema.others.map(\.kind) == ["rule"])
    }

    @Test func columnsKeysAndConstraints() throws {
        let schema = try shop()
        let products = try #require(schema.table(QualifiedName("products")))
        #expect(products.comment == "Everything the shop sells")
        #expect(products.column("id") == Column(name: "id", type: "bigint", nullable: false, identity: .byDefault))
        #expect(products.column("sku") == Column(name: "sku", type: "text", nullable: false, collation: "C", comment: "Stock keeping unit, compared byte by byte"))
        #expect(products.column("price")?.type == "money_amount")
        #expect(products.column("attributes")?.defaultValue == "'{}'::jsonb")
        #expect(products.primaryKey == PrimaryKey(name: "products_pkey", columns: ["id"]))
        #expect(products.uniques == [UniqueConstraint(name: "products_sku_key", columns: ["sku"])])
        #expect(products.checks == [CheckConstraint(name: "products_weight_grams_check", expression: "weight_grams > 0")])

        let items = try #require(schema.table(QualifiedName("order_items")))
        #expect(items.column("line_total")?.generated == "(quantity::numeric * unit_price)")
        #expect(items.primaryKey?.columns == ["order_id", "line_number"])

        let orders = try #require(schema.table(QualifiedName("orders")))
        #expect(orders.foreignKeys.first { $0.name == "orders_shipping_address_id_fkey" } == ForeignKey(
            name: "orders_shipping_address_id_fkey", columns: ["shipping_address_id"], referencedTable: QualifiedName("addresses"),
            referencedColumns: ["id"], onDelete: .setNull, deferrable: .initiallyDeferred))
        let coupon = try #require(orders.foreignKeys.first { $0.name == "orders_coupon_code_fkey" })
        #expect(coupon.onDelete == .setNull && coupon.onUpdate == .cascade)
        #expect(schema.table(QualifiedName("shipment_items"))?.foreignKeys.first { $0.columns.count == 2 }?.referencedColumns == ["order_id", "line_number"])
        #expect(schema.table(QualifiedName("product_images"))?.uniques.first?.deferrable == .initiallyDeferred)
        #expect(schema.table(QualifiedName(schema: "billing", "invoices"))?.foreignKeys.first?.referencedTable == QualifiedName("orders"))
        #expect(schema.table(QualifiedName(schema: "billing", "invoice_lines"))?.foreignKeys.first?.deferrable == .initiallyImmediate)
        #expect(schema.sequences.last?.ownedBy == "billing.invoices.number")
        #expect(schema.sequences.last.map { "\($0.start) \($0.cache) \($0.type)" } == "1000 10 integer")
        #expect(schema.domains[1] == Domain(name: QualifiedName("money_amount"), type: "numeric(12,2)", nullable: false, defaultValue: "0",
                                            checks: [CheckConstraint(name: "money_amount_not_negative", expression: "VALUE >= 0::numeric")]))
        #expect(schema.enums[0] == EnumType(name: QualifiedName("order_status"), values: ["pending", "paid", "shipped", "delivered", "cancelled"],
                                            comment: "Where an order is in its life"))
    }

    @Test func indexesWithMethodsOpclassesPredicatesAndIncludes() throws {
        let products = try #require(try shop().table(QualifiedName("products")))
        #expect(products.indexes.map(\.name) == ["products_active_category_idx", "products_attributes_idx", "products_name_search_idx", "products_sku_pattern_idx"],
                "the indexes of constraints are not listed again")
        #expect(products.indexes[0] == Index(name: "products_active_category_idx", keys: [.init("category_id"), .init("created_at", descending: true)],
                                             include: ["price"], predicate: "is_active"))
        #expect(products.indexes[1] == Index(name: "products_attributes_idx", method: "gin", keys: [.init("attributes", opclass: "jsonb_path_ops")]))
        #expect(products.indexes[2].keys.first?.isColumn == false)
        #expect(products.indexes[2].keys.first?.expression.hasPrefix("to_tsvector('english'::regconfig") == true)
        #expect(products.indexes[3].keys == [.init("sku", opclass: "text_pattern_ops")])
        let schema = try connect().introspectSchema(namespaces: [], excluding: [])
        #expect(schema.table(QualifiedName("sessions"))?.indexes.first?.keys == [.init("expires_at", descending: true, nullsFirst: false)])
        #expect(schema.table(QualifiedName("price_history"))?.indexes.first?.method == "brin")
        #expect(schema.table(QualifiedName("customers"))?.indexes.first == Index(
            name: "customers_email_live_idx", unique: true, keys: [.init("email")], predicate: "deleted_at IS NULL"))
    }

    @Test func viewsOnViewsMaterializedViewsTriggersAndRoutines() throws {
        let schema = try shop()
        #expect(schema.view(QualifiedName("top_rated_products"))?.dependsOn == [QualifiedName("rated_products")])
        #expect(schema.view(QualifiedName("rated_products"))?.dependsOn == [QualifiedName("product_catalog"), QualifiedName("reviews")])
        #expect(schema.view(QualifiedName("product_catalog"))?.comment == "What the storefront lists")
        #expect(schema.view(QualifiedName(schema: "billing", "outstanding_invoices"))?.dependsOn
                == [QualifiedName(schema: "billing", "invoices"), QualifiedName(schema: "billing", "payments")])
        let sales = try #require(schema.view(QualifiedName("sales_by_month")))
        #expect(sales.materialized)
        #expect(sales.indexes == [Index(name: "sales_by_month_month_idx", unique: true, keys: [.init("month")])])
        #expect(sales.definition.contains("date_trunc('month'::text, o.placed_at)"))
        let audit = try #require(schema.triggers.first { $0.name == "orders_audit" })
        #expect(audit.definition == "CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE OF status ON orders FOR EACH ROW WHEN (new.status IS DISTINCT FROM 'pending'::order_status) EXECUTE FUNCTION log_order_change()")
        #expect(schema.triggers.first { $0.table.schema == "billing" }?.definition.contains("ON billing.payments") == true)
        let procedure = try #require(schema.routines.first { $0.kind == .procedure })
        #expect(procedure.definition.hasPrefix("CREATE OR REPLACE PROCEDURE billing.cancel_unpaid_orders(IN older_than interval)"))
        #expect(schema.routines.first { $0.name.name == "set_updated_at" }?.comment == "Keeps updated_at current on every update")
        #expect(schema.others.first?.definition.contains("ON DELETE TO audit_log DO INSTEAD NOTHING") == true)
    }

    @Test func extensionMembersAreLeftOut() throws {
        let schema = try shop()
        let citextFunctions = try server.psql(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname LIKE 'citext%'", database: database)
        #expect(Int(citextFunctions.trimmingCharacters(in: .whitespacesAndNewlines))! > 10)
        #expect(!schema.routines.contains { $0.name.name.hasPrefix("citext") })
        #expect(schema.domains.allSatisfy { $0.name.name != "citext" })
        #expect(schema.table(QualifiedName("tags"))?.column("name")?.type == "citext")
    }

    @Test func theHistoryTableAndWhatBelongsToItAreLeftOut() throws {
        folder.write("m/V1__people.sql", "CREATE TABLE people (id serial PRIMARY KEY, name text UNIQUE);\n")
        let app = try connect(schemas: ["app"])
        try app.createMissingSchemas()
        try Migrator(database: app, catalog: try LocationReader.read(locations: [folder.file("m")])).migrate()
        let schema = try connect(schemas: ["app"]).introspectSchema(namespaces: ["app"], excluding: [QualifiedName(schema: "app", "strata_schema_history")])
        #expect(schema.namespaces == [])
        #expect(schema.tables.map(\.name) == [QualifiedName("people")])
        #expect(schema.sequences.map(\.name) == [QualifiedName("people_id_seq")])
        let unscoped = try connect().introspectSchema(namespaces: [], excluding: [])
        #expect(unscoped.namespaces == ["app"])
        #expect(unscoped.table(QualifiedName(schema: "app", "strata_schema_history")) != nil)
    }

    @Test func namespacesScopeWhatIsRead() throws {
        _ = try shop()
        let billing = try connect().introspectSchema(namespaces: ["billing"], excluding: [])
        #expect(billing.namespaces == [])
        #expect(billing.tables.count == 6)
        #expect(billing.tables.allSatisfy { $0.name.schema == nil })
        #expect(billing.table(QualifiedName("invoices"))?.foreignKeys.first?.referencedTable == QualifiedName(schema: "public", "orders"))
        #expect(billing.extensions.isEmpty)
    }

    /// The default namespace is the first one asked for (else the current schema); the
    /// session's search path changes nothing else.
    @Test func introspectionIsDeterministicWhateverTheSearchPath() throws {
        _ = try shop()
        let first = try connect().introspectSchema(namespaces: [], excluding: [])
        let database = try connect()
        try database.execute("SET search_path TO billing, public", [])
        let second = try database.introspectSchema(namespaces: ["public", "billing"], excluding: [])
        #expect(first == second)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        #expect(try encoder.encode(first) == (try encoder.encode(try connect().introspectSchema(namespaces: [], excluding: []))))
        #expect(try database.query("SHOW search_path", []).first?.first?.string == "billing, public", "the session's own path is kept")
        #expect(try database.introspectSchema(namespaces: [], excluding: []).namespaces == ["public"], "billing is now the default")
    }

    /// Ten queries, however many objects: the count is the same for the empty database and the shop.
    @Test func aFixedHandfulOfQueries() throws {
        let database = try connect()
        func count() throws -> Int {
            var queries = 0
            _ = try PostgresSchemaReader { sql, parameters in
                queries += 1
                return try database.query(sql, parameters.map { $0.map(SQLValue.text) ?? .null }).map { $0.map(\.string) }
            }.read(namespaces: [], excluding: [])
            return queries
        }
        #expect(try count() == 10)
        try server.psqlFile(Self.shopSchema, database: self.database)
        #expect(try count() == 10)
    }
}
