/// A value bound to, or read from, a SQL statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bool(Bool)

    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .real(let value): Int(value)
        case .text(let value): Int(value)
        case .bool(let value): value ? 1 : 0
        case .null: nil
        }
    }

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

public typealias SQLRow = [SQLValue]
