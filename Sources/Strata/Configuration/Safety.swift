/// What Strata does about statements that would stall live traffic (`safety` in an environment
/// of `strata.toml`).
public enum Safety: String, Sendable, Equatable, CaseIterable {
    /// Statements run as written, without linting them first.
    case off
    /// `strata migrate` lints the pending migrations first and prints the findings, and
    /// statements that have a safe form run in it (see ``MigrationRewrite``): the default on PostgreSQL.
    case rewrite
    /// `strata migrate` lints the pending migrations first and runs nothing while one has an
    /// error-level finding; nothing is rewritten.
    case strict

    /// The default for a database: `rewrite` on PostgreSQL, `off` on SQLite (which has no
    /// concurrent readers to stall).
    public static func defaultValue(for url: DatabaseURL) -> Safety {
        if case .postgres = url { return .rewrite }
        return .off
    }
}
