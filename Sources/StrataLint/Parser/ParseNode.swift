/// One node of libpg_query's JSON parse tree, as plain values. PostgreSQL's node types are
/// objects with one key, the type's name (`{"ColumnDef": {...}}`); ``typed(_:)`` opens them.
package indirect enum ParseNode: Sendable, Equatable {
    /// One field of an object.
    package struct Field: Sendable, Equatable {
        package let key: String
        package let value: ParseNode
    }

    /// The fields in the order libpg_query writes them: a node has a handful, so finding one
    /// by a scan costs less than hashing every key of every node into a dictionary.
    case object([Field])
    case array([ParseNode])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// The field `key` of an object; `.null` for anything else or a missing field, so that
    /// paths into optional parts of the tree read without ceremony.
    package subscript(key: String) -> ParseNode {
        if case .object(let fields) = self { return fields.first { $0.key == key }?.value ?? .null }
        return .null
    }

    /// The body of a node of PostgreSQL type `type` (`node.typed("ColumnDef")`), or nil.
    package func typed(_ type: String) -> ParseNode? {
        guard case .object(let fields) = self, fields.count == 1, fields[0].key == type else { return nil }
        return fields[0].value
    }

    /// The PostgreSQL type of a node (`"ColumnDef"`), or nil for anything else.
    package var typeName: String? {
        guard case .object(let fields) = self, fields.count == 1, let name = fields.first?.key,
              name.first?.isUppercase == true else { return nil }
        return name
    }

    package var items: [ParseNode] {
        if case .array(let items) = self { return items }
        return []
    }

    package var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// libpg_query leaves out false booleans, so a missing field is false.
    package var isTrue: Bool {
        if case .bool(let flag) = self { return flag }
        return false
    }

    package var integer: Int? {
        if case .number(let value) = self { return Int(value) }
        return nil
    }

    /// The text of a `String` node (`{"String": {"sval": "x"}}`), as names are written.
    package var stringValue: String? {
        typed("String")?["sval"].string
    }

    /// A list of `String` nodes as names: `["pg_catalog", "int4"]`.
    package var names: [String] {
        items.compactMap(\.stringValue)
    }
}
