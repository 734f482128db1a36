/// A table name, optionally qualified by a schema (`public.strata_schema_history`).
public struct TableName: Sendable, Hashable, CustomStringConvertible {
    /// The schema, or nil for the connection's default (the first managed schema, `main` on SQLite).
    public let schema: String?
    /// The table's own name.
    public let name: String

    /// `strata_schema_history`, the history table unless one is configured.
    public static let defaultHistory = TableName(schema: nil, name: "strata_schema_history")

    /// A table name from its parts, taken as they are (no quoting or case folding).
    public init(schema: String?, name: String) {
        self.schema = schema
        self.name = name
    }

    /// Parses `table` or `schema.table`.
    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError("The table name '\(text)' is not valid: write `name` or `schema.name`.")
        }
        self.init(schema: parts.count == 2 ? parts[0] : nil, name: parts.last!)
    }

    /// `schema.name`, or `name` alone.
    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}
