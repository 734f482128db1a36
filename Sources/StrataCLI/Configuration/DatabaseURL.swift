import Strata

/// Where the database is, parsed from `--url` or `STRATA_URL`.
enum DatabaseURL: Equatable {
    /// `sqlite:PATH`, `sqlite:///absolute/path.db` or `sqlite::memory:`.
    case sqlite(path: String)

    static let defaultURL = "sqlite:strata.db"

    init(parsing text: String) throws(ConfigurationError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ConfigurationError(
                "The database URL '\(text)' has no scheme. Use `sqlite:PATH` (for example `sqlite:app.db`), `sqlite:///absolute/path.db` or `sqlite::memory:`.")
        }
        let scheme = text[..<colon].lowercased()
        var rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "sqlite", "sqlite3":
            if rest.hasPrefix("//") { rest.removeFirst(2) }
            guard !rest.isEmpty else {
                throw ConfigurationError("The database URL '\(text)' names no file. Use `sqlite:PATH`, for example `sqlite:app.db`.")
            }
            self = .sqlite(path: rest)
        case "postgres", "postgresql":
            throw ConfigurationError(
                "PostgreSQL URLs are not supported by this build of strata yet; only SQLite is (`sqlite:PATH`).")
        default:
            throw ConfigurationError(
                "The database URL '\(text)' has the unknown scheme '\(scheme)'. Strata supports `sqlite:PATH`.")
        }
    }

    /// The URL as it may be shown to people: without any password.
    var display: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        }
    }
}
