/// Knowledge of an engine's SQL, with no connection: quoting, parameters and the history
/// table's statements. Dialects live in the core so that previews and offline SQL need no driver.
public protocol SQLDialect: Sendable {
    /// The engine's name as users know it.
    var name: String { get }
    /// The marker for the 1-based `index`-th statement parameter.
    func parameter(_ index: Int) -> String
    /// The statements that create the history table and its index.
    func createHistoryTable(_ table: TableName) -> [String]
    /// An expression that reads `installed_on` as text.
    func installedOnAsText(_ column: String) -> String
}

extension SQLDialect {
    /// Double-quotes an identifier, doubling embedded quotes (standard SQL, both engines).
    public func quote(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    public func qualified(_ table: TableName) -> String {
        table.schema.map { quote($0) + "." + quote(table.name) } ?? quote(table.name)
    }
}
