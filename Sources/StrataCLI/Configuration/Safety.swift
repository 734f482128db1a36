import Strata

/// `safety` in `strata.toml` (or `STRATA_SAFETY`): what `strata migrate` does about statements
/// that lock or rewrite a live PostgreSQL table.
enum Safety: String, CaseIterable {
    /// Runs the migrations as written, without linting them first.
    case off
    /// Lints the pending migrations first and prints the findings, then runs them.
    case rewrite
    /// Lints the pending migrations first and runs nothing while one has an error-level finding.
    case strict

    /// The default of an engine: the lint rules are PostgreSQL's, so SQLite's is `off`.
    static func defaultFor(_ url: DatabaseURL) -> Safety {
        if case .postgres = url { .rewrite } else { .off }
    }
}

extension Settings {
    /// The `safety` setting, or the engine's default.
    func safety(for url: DatabaseURL) throws -> Safety {
        guard let text = string("safety") else { return Safety.defaultFor(url) }
        guard let safety = Safety(rawValue: text) else {
            throw ConfigurationError("safety '\(text)' (\(source(of: "safety"))) is not a safety level: use \(Safety.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return safety
    }
}
