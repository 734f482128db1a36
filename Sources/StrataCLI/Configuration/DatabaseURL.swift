import Strata

/// Where the database is, parsed from `--url` or `STRATA_URL`.
enum DatabaseURL: Equatable {
    /// `sqlite:PATH`, `sqlite:///absolute/path.db` or `sqlite::memory:`.
    case sqlite(path: String)
    /// A `postgres://` or `postgresql://` URL, or a libpq `key=value` string, as `psql` takes them.
    case postgres(conninfo: String)

    static let defaultURL = "sqlite:strata.db"

    init(parsing text: String) throws(ConfigurationError) {
        if !text.contains("://") && text.contains("=") {
            self = .postgres(conninfo: text)
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw ConfigurationError(
                "The database URL '\(Self.redacted(text))' has no scheme. Use `sqlite:PATH` (for example `sqlite:app.db`), `sqlite:///absolute/path.db` or `sqlite::memory:`.")
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
            self = .postgres(conninfo: text)
        default:
            throw ConfigurationError(
                "The database URL '\(Self.redacted(text))' has the unknown scheme '\(scheme)'. Strata supports `sqlite:PATH` and `postgresql://…` (or libpq `key=value` strings).")
        }
    }

    /// The URL as it may be shown to people: without any password.
    var display: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let conninfo): Self.redacted(conninfo)
        }
    }

    /// A URL or `key=value` string with its password replaced by `***`.
    static func redacted(_ text: String) -> String {
        if let scheme = text.firstRange(of: "://") {
            let rest = text[scheme.upperBound...]
            guard let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return text }
            return String(text[..<rest.index(after: colon)]) + "***" + String(rest[at...])
        }
        return text.split(separator: " ").map { pair in
            pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
        }.joined(separator: " ")
    }
}
