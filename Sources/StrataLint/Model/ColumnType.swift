/// A column's type as the statement writes it, with PostgreSQL's internal names
/// (`int4`, `bpchar`, `varchar`) and its modifiers (`varchar(20)`: `[20]`).
package struct ColumnType: Sendable, Equatable, CustomStringConvertible {
    /// The name without `pg_catalog.`, as libpg_query gives it: `int4`, `serial`, `timestamp`.
    package let name: String
    package let modifiers: [Int]
    package let isArray: Bool

    package init(name: String, modifiers: [Int] = [], isArray: Bool = false) {
        self.name = name
        self.modifiers = modifiers
        self.isArray = isArray
    }

    init(_ node: ParseNode) {
        let names = node["names"].names
        name = names.last ?? ""
        // libpg_query leaves a zero out: `{"A_Const": {"ival": {}}}`.
        modifiers = node["typmods"].items.compactMap { modifier in
            guard let constant = modifier.typed("A_Const"), constant["ival"] != .null else { return nil }
            return constant["ival"]["ival"].integer ?? 0
        }
        isArray = !node["arrayBounds"].items.isEmpty
    }

    /// The type as people write it.
    package var description: String {
        let shown = Self.spelling[name] ?? name
        let arguments = modifiers.isEmpty ? "" : "(\(modifiers.map(String.init).joined(separator: ", ")))"
        return shown + arguments + (isArray ? "[]" : "")
    }

    private static let spelling = [
        "int2": "smallint", "int4": "integer", "int8": "bigint", "bpchar": "char", "varchar": "varchar",
        "float4": "real", "float8": "double precision", "bool": "boolean", "timestamptz": "timestamptz",
    ]

    package var isSerial: Bool { ["serial", "serial4", "smallserial", "serial2", "bigserial", "serial8"].contains(name) }
    /// 32 bits or fewer: `integer`, `smallint` and their serials.
    package var isSmallInteger: Bool { ["int2", "int4", "serial", "serial4", "smallserial", "serial2"].contains(name) }
}
