/// A table name, optionally qualified by a schema (`public.strata_schema_history`).
public struct TableName: Sendable, Hashable, CustomStringConvertible {
    public let schema: String?
    public let name: String

    public static let defaultHistory = TableName(schema: nil, name: "strata_schema_history")

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

    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}
