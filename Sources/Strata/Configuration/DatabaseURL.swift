/// Where the database is: `--url`, `STRATA_URL` or `url` in `strata.toml`.
///
/// ```swift
/// let url = try DatabaseURL(parsing: "postgresql://app:secret@db/shop")
/// print(url.display)   // postgresql://app:***@db/shop
/// ```
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// `sqlite:PATH`, `sqlite:///absolute/path.db` or `sqlite::memory:`.
    case sqlite(path: String)
    /// A `postgres://` or `postgresql://` URL, or a libpq `key=value` string, as `psql` takes them.
    case postgres(conninfo: String)

    /// Where migrations go when nothing says otherwise: a SQLite file in the working folder.
    public static let defaultURL = "sqlite:strata.db"

    /// Reads a URL as `--url` takes it: a `key=value` string without `://` is libpq's format.
    /// - Throws: ``ConfigurationError`` for a missing or unknown scheme, or a SQLite URL without a path.
    public init(parsing text: String) throws(ConfigurationError) {
        if !text.contains("://") && text.contains("=") {
            self = .postgres(conninfo: text)
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw ConfigurationError(
                "The database URL '\(PasswordMask.conninfo(text))' has no scheme. Use `sqlite:PATH` (for example `sqlite:app.db`), `sqlite:///absolute/path.db` or `sqlite::memory:`.")
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
                "The database URL '\(PasswordMask.conninfo(text))' has the unknown scheme '\(scheme)'. Strata supports `sqlite:PATH` and `postgresql://…` (or libpq `key=value` strings).")
        }
    }

    /// The URL as it may be shown to people and logs: every password replaced by `***`.
    public var display: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let conninfo): PasswordMask.conninfo(conninfo)
        }
    }

    /// Same as ``display``, so that interpolating a URL never shows its password.
    public var description: String { display }
}
