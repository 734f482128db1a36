import Strata

extension Settings {
    /// The `safety` setting (or `STRATA_SAFETY`), or the engine's default.
    func safety(for url: DatabaseURL) throws -> Safety {
        try configuredSafety() ?? Safety.defaultValue(for: url)
    }

    /// The `safety` setting as given; nil when none is.
    func configuredSafety() throws -> Safety? {
        guard let text = string("safety") else { return nil }
        guard let safety = Safety(rawValue: text) else {
            throw ConfigurationError("safety '\(text)' (\(source(of: "safety"))) is not a safety level: use \(Safety.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return safety
    }
}
