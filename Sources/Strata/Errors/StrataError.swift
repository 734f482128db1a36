/// Every error Strata throws on purpose: it prints as one paragraph that says what is wrong,
/// where, and what to do, and it knows whose fault it is, which decides the exit code.
public protocol StrataError: Error, CustomStringConvertible {
    var category: ErrorCategory { get }
}

public enum ErrorCategory: Sendable {
    /// The command line, the configuration or the migration files are wrong (exit 2 for usage, 1 otherwise).
    case usage
    /// A migration, a validation or the database failed (exit 1).
    case failure
}

/// A problem with one migration file, found while reading the locations.
public struct CatalogProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// The migration files cannot be used as they are; nothing has been run.
public struct CatalogError: StrataError, Equatable {
    public let problems: [CatalogProblem]

    init(problems: [CatalogProblem]) {
        self.problems = problems
    }

    public var category: ErrorCategory { .failure }

    public var description: String {
        let count = problems.count == 1 ? "a problem" : "\(problems.count) problems"
        let list = problems.map { "  - \($0)" }.joined(separator: "\n")
        return "The migration files have \(count); nothing was run. Fix the files and try again:\n\(list)"
    }
}

/// A configuration or command-line value that cannot be used.
public struct ConfigurationError: StrataError, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var category: ErrorCategory { .usage }
    public var description: String { message }
}

/// The database refused something Strata asked of it outside a migration script.
public struct DatabaseError: StrataError, Equatable {
    public let message: String
    /// The engine's own error code, if it gave one (SQLite's result code, PostgreSQL's SQLSTATE).
    public let code: String?
    public let sql: String?

    public init(message: String, code: String? = nil, sql: String? = nil) {
        self.message = message
        self.code = code
        self.sql = sql
    }

    public var category: ErrorCategory { .failure }

    public var description: String {
        var text = "The database reported an error"
        if let code { text += " (\(code))" }
        text += ": \(message)"
        if let sql { text += " while running `\(SQLText.firstLine(of: sql))`" }
        return text + "."
    }
}
