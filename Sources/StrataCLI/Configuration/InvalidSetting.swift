import Strata

/// A setting whose value cannot be used. Every setting says it the same way, in one paragraph:
/// the key, the value as given (passwords masked), where it came from, what is allowed, and
/// what to do there.
struct InvalidSetting: StrataError, Equatable {
    let key: String
    /// The value as people may see it (see ``Settings/shown(_:_:)``), text quoted.
    let value: String
    /// Where the value came from: `strata.toml:LINE`, `--flag` or `STRATA_*` (see ``Sourced``).
    let source: String
    /// What the setting takes, completing "it must be …".
    let allowed: String

    init(key: String, value: TOMLDocument.Value, source: String, allowed: String) {
        self.key = key
        self.value = Self.literal(key, value)
        self.source = source
        self.allowed = allowed
    }

    /// The value as written in `strata.toml`, but with single quotes, and secrets masked.
    private static func literal(_ key: String, _ value: TOMLDocument.Value) -> String {
        switch value {
        case .string: "'\(Settings.shown(key, value))'"
        case .array(let items): "[\(items.map { literal(key, $0) }.joined(separator: ", "))]"
        default: Settings.shown(key, value)
        }
    }

    /// ``ErrorCategory/usage``: `strata` exits with 2.
    var category: ErrorCategory { .usage }

    var description: String {
        "\(key) = \(value) (\(origin)) cannot be used: it must be \(allowed). \(remedy)"
    }

    private var origin: String {
        source.hasPrefix("STRATA_") ? "environment variable \(source)" : source
    }

    private var remedy: String {
        switch source {
        case let flag where flag.hasPrefix("--"): "Give \(flag) another value."
        case let variable where variable.hasPrefix("STRATA_"): "Change \(variable), or unset it."
        default: "Change it at \(source)."
        }
    }
}
