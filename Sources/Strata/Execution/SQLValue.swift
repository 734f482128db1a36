/// A value bound to, or read from, a SQL statement.
public enum SQLValue: Sendable, Equatable {
    /// SQL `NULL`.
    case null
    /// An integer.
    case integer(Int64)
    /// A floating-point number.
    case real(Double)
    /// Text.
    case text(String)
    /// A boolean, written as each engine writes them.
    case bool(Bool)

    /// The value as an integer, converting what converts; nil for `NULL` and non-numeric text.
    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .real(let value): Int(value)
        case .text(let value): Int(value)
        case .bool(let value): value ? 1 : 0
        case .null: nil
        }
    }

    /// The value as text; nil for `NULL`.
    public var string: String? {
        switch self {
        case .text(let value): value
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .bool(let value): String(value)
        case .null: nil
        }
    }

    /// Engines store booleans differently (SQLite as 0/1, PostgreSQL as t/f); all read as Bool.
    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .integer(let value): value != 0
        case .real(let value): value != 0
        case .text(let value): ["t", "true", "1", "y", "yes"].contains(value.lowercased())
        case .null: nil
        }
    }
}

/// One row of a query's result, its columns in order.
public typealias SQLRow = [SQLValue]
