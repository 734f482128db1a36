import Strata

extension Settings {
    /// The `safety` setting (or `STRATA_SAFETY`), or the engine's default.
    func safety(for url: DatabaseURL) throws -> Safety {
        try configuredSafety() ?? Safety.defaultValue(for: url)
    }

    /// The `safety` setting as given; nil when none is.
    func configuredSafety() throws(InvalidSetting) -> Safety? {
        try choice("safety")
    }
}
