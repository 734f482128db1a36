/// Every error Strata throws on purpose: it prints as one paragraph that says what is wrong,
/// where, and what to do, and it knows whose fault it is, which decides the exit code.
public protocol StrataError: Error, CustomStringConvertible {
    /// Whose fault it is: decides the exit code of `strata`.
    var category: ErrorCategory { get }
}

/// Whose fault an error is, which decides the exit code.
public enum ErrorCategory: Sendable {
    /// The command line, the configuration or the migration files are wrong (exit 2 for usage, 1 otherwise).
    case usage
    /// A migration, a validation or the database failed (exit 1).
    case failure
}

/// A problem with one migration file, found while reading the locations.
public struct CatalogProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, as found on disk.
    public let path: String
    /// What is wrong with it and how to fix it.
    public let message: String

    init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The file and what is wrong with it.
    public var description: String { "\(path): \(message)" }
}

/// The migration files cannot be used as they are; nothing has been run.
public struct CatalogError: StrataError, Equatable {
    /// Every problem found, one or more per file.
    public let problems: [CatalogProblem]

    init(problems: [CatalogProblem]) {
        self.problems = problems
    }

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        let count = problems.count == 1 ? "a problem" : "\(problems.count) problems"
        let list = problems.map { "  - \($0)" }.joined(separator: "\n")
        return "The migration files have \(count); nothing was run. Fix the files and try again:\n\(list)"
    }
}

/// A configuration or command-line value that cannot be used.
public struct ConfigurationError: StrataError, Equatable {
    /// What is wrong and how to fix it.
    public let message: String

    /// An error whose message says what is wrong and how to fix it.
    public init(_ message: String) {
        self.message = message
    }

    /// Always ``ErrorCategory/usage``: the caller gave a value that cannot be used.
    public var category: ErrorCategory { .usage }
    /// The message as given.
    public var description: String { message }
}

/// The database refused something Strata asked of it outside a migration script.
public struct DatabaseError: StrataError, Equatable {
    /// The database's message.
    public let message: String
    /// The engine's own error code, if it gave one (SQLite's result code, PostgreSQL's SQLSTATE).
    public let code: String?
    /// The statement that failed, if the error came from one.
    public let sql: String?

    /// For drivers: wraps what the engine reported.
    public init(message: String, code: String? = nil, sql: String? = nil) {
        self.message = message
        self.code = code
        self.sql = sql
    }

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// The paragraph `strata` prints: what went wrong, where, and what to do next.
    public var description: String {
        var text = "The database reported an error"
        if let code { text += " (\(code))" }
        text += ": \(message)"
        if let sql { text += " while running `\(SQLText.firstLine(of: sql))`" }
        return text.hasSuffix(".") ? text : text + "."
    }
}
