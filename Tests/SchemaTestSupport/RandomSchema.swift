import PropertyBased
import StrataSchema

/// Pairs of random schemas for one engine: a schema of a few tables (typed columns with and
/// without defaults and NOT NULL, primary keys, unique constraints, foreign keys with actions
/// between the tables, indexes and checks) and views on them, and the same schema after a few
/// random mutations. Names and texts are spelled as the engine reads them back, so a round
/// trip can be compared field by field.
public func schemaPairs(_ flavor: SQLFlavor) -> Generator<(Schema, Schema), Shrink.None<(Schema, Schema)>> {
    Generator { random in
        var rng = SplitMix(seed: random.next())
        var builder = RandomSchema(flavor: flavor)
        let before = builder.schema(&rng)
        var after = before
        for _ in 0..<Int.random(in: 1...4, using: &rng) { after = builder.mutate(after, &rng) }
        return (before, after)
    }
}

/// A small seeded generator, so the schema is built from the property checker's seed alone
/// (and other random tests can be replayed from theirs).
package struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Builds and mutates schemas; its counter keeps every generated name new.
struct RandomSchema {
    let flavor: SQLFlavor
    private var counter = 0

    init(flavor: SQLFlavor) { self.flavor = flavor }

    private mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    private var keyType: String { flavor == .sqlite ? "INTEGER" : "integer" }

    /// Types, and for each the constant defaults the engine reads back as written.
    private var types: [(type: String, defaults: [String])] {
        switch flavor {
        case .sqlite:
            [("INTEGER", ["0", "42"]), ("TEXT", ["'x'", "''"]), ("REAL", ["1.5"]), ("BLOB", []), ("NUMERIC", ["7"])]
        case .postgresql:
            [("integer", ["0", "42"]), ("bigint", ["7"]), ("text", ["'x'::text"]), ("character varying(20)", ["'y'::character varying"]),
             ("boolean", ["true", "false"]), ("numeric(10,2)", ["1.5"]), ("date", ["CURRENT_DATE"]), ("timestamp with time zone", ["now()"])]
        }
    }

    /// The types a column may change to without data: SQLite rebuilds for any; PostgreSQL casts these.
    func retypes(_ type: String) -> [String] {
        switch flavor {
        case .sqlite: types.map(\.type).filter { $0 != type }
        case .postgresql:
            ["integer": ["bigint"], "bigint": ["integer"], "text": ["character varying(20)"], "character varying(20)": ["text"],
             "numeric(10,2)": ["numeric(12,2)"], "numeric(12,2)": ["numeric(10,2)"]][type] ?? []
        }
    }

    func defaults(for type: String) -> [String] {
        types.first { $0.type == type }?.defaults ?? (type.hasPrefix("numeric") ? ["1.5"] : [])
    }

    mutating func schema(_ rng: inout SplitMix) -> Schema {
        var schema = Schema()
        for _ in 0..<Int.random(in: 1...4, using: &rng) { schema = addTable(schema, &rng) }
        for _ in 0..<Int.random(in: 0...2, using: &rng) { schema = addView(schema, &rng) }
        return schema.normalized()
    }

    mutating func column(_ rng: inout SplitMix) -> Column {
        let (type, defaults) = types.randomElement(using: &rng)!
        let defaultValue = Bool.random(using: &rng) ? defaults.randomElement(using: &rng) : nil
        return Column(name: fresh("c"), type: type, nullable: defaultValue == nil || Bool.random(using: &rng), defaultValue: defaultValue)
    }

    mutating func addTable(_ schema: Schema, _ rng: inout SplitMix) -> Schema {
        var schema = schema
        let name = fresh("t")
        var table = Table(name: QualifiedName(name), columns: [Column(name: "id", type: keyType, nullable: false)],
                          primaryKey: PrimaryKey(name: flavor == .postgresql ? name + "_pkey" : nil, columns: ["id"],
                                                 autoincrement: flavor == .sqlite && Bool.random(using: &rng)))
        for _ in 0..<Int.random(in: 1...4, using: &rng) { table.columns.append(column(&rng)) }
        for _ in 0..<Int.random(in: 0...2, using: &rng) { table = addConstraint(table, schema, &rng) }
        schema.tables.append(table)
        return schema
    }

    /// A unique constraint, check, index or foreign key (to a table made before, or itself).
    mutating func addConstraint(_ table: Table, _ schema: Schema, _ rng: inout SplitMix) -> Table {
        var table = table
        let plain = table.columns.filter { $0.name != "id" && !$0.name.hasPrefix("ref") }
        guard let column = plain.randomElement(using: &rng) else { return table }
        switch Int.random(in: 0...3, using: &rng) {
        case 0 where !table.uniques.contains { $0.columns == [column.name] }:
            // SQLite keeps one of two equal unique constraints.
            table.uniques.append(UniqueConstraint(name: fresh("u"), columns: [column.name]))
        case 1 where ["INTEGER", "integer", "bigint"].contains(column.type):
            table.checks.append(CheckConstraint(name: fresh("k"), expression: "\(column.name) > 0"))
        case 2:
            let second = plain.filter { $0 != column }.randomElement(using: &rng).map { [Index.Key($0.name)] } ?? []
            table.indexes.append(Index(name: fresh("i"), unique: Bool.random(using: &rng),
                                       keys: [Index.Key(column.name, descending: Bool.random(using: &rng))] + second,
                                       predicate: Bool.random(using: &rng) ? "\(column.name) IS NOT NULL" : nil))
        default:
            let target = (schema.tables.map(\.name) + [table.name]).randomElement(using: &rng)!
            let reference = fresh("ref")
            table.columns.append(Column(name: reference, type: keyType))
            let actions: [ReferentialAction] = [.noAction, .cascade, .setNull, .restrict]
            table.foreignKeys.append(ForeignKey(
                name: fresh("f"), columns: [reference], referencedTable: target, referencedColumns: ["id"],
                onDelete: actions.randomElement(using: &rng)!, onUpdate: actions.randomElement(using: &rng)!,
                deferrable: Bool.random(using: &rng) ? .initiallyDeferred : .notDeferrable))
        }
        return table
    }

    /// A view of a table's key and one of its columns, with the columns qualified as every
    /// PostgreSQL version prints them.
    mutating func addView(_ schema: Schema, _ rng: inout SplitMix) -> Schema {
        guard let table = schema.tables.randomElement(using: &rng), let column = table.columns.dropFirst().randomElement(using: &rng) else { return schema }
        var schema = schema
        schema.views.append(View(name: QualifiedName(fresh("v")), definition: "SELECT t.id, t.\(column.name) FROM \(table.name.name) t",
                                 dependsOn: [table.name]))
        return schema
    }
}
