import Strata
import StrataLint

/// `[lint]` in `strata.toml`: `disable = ["rule-id", …]` and `severity.rule-id = "warning"`
/// (or a `[lint.severity]` table). An unknown rule or severity is an error naming the line.
/// `[environments.NAME.lint]` takes the same keys and overrides `[lint]` for that environment.
struct LintConfiguration: Equatable {
    var disabled: Set<String> = []
    var severities: [String: LintSeverity] = [:]
    /// Whether `disable` was written: an environment's list then replaces the top-level one.
    private var setsDisabled = false

    /// These settings with an environment's on top: its `disable` list, when it has one,
    /// replaces this one (so an environment can turn a rule back on); its severities win rule by rule.
    func overridden(by environment: LintConfiguration) -> LintConfiguration {
        var merged = self
        if environment.setsDisabled { merged.disabled = environment.disabled }
        merged.severities.merge(environment.severities) { $1 }
        return merged
    }

    /// Takes in one entry of `[lint]` (`table` is `["lint"]` or `["lint", "severity"]`).
    mutating func read(table: [String], key: String, value: TOMLDocument.Value, _ fail: (String) -> ConfigurationError) throws {
        switch (table.count, key) {
        case (1, "disable"):
            setsDisabled = true
            guard case .array(let items) = value else { throw fail("must be an array of rule ids, not \(value.typeName)") }
            for item in items {
                guard case .string(let rule) = item else { throw fail("must be an array of rule ids, not an array holding \(item.typeName)") }
                disabled.insert(try Self.known(rule, fail))
            }
        case (2, let rule):
            guard case .string(let text) = value, let severity = LintSeverity(rawValue: text), severity != .info else {
                let given = if case .string(let text) = value { "\"\(text)\"" } else { value.typeName }
                throw fail("a rule's severity is \"error\" or \"warning\", not \(given)")
            }
            severities[try Self.known(rule, fail)] = severity
        default:
            throw fail("unknown key\(Suggestion.didYouMean(key, among: ["disable"])); [lint] knows disable and severity.RULE")
        }
    }

    private static func known(_ rule: String, _ fail: (String) -> ConfigurationError) throws -> String {
        guard LintOptions.ruleIDs.contains(rule) else {
            throw fail("`\(rule)` is not a lint rule\(Suggestion.didYouMean(rule, among: LintOptions.ruleIDs)); the rules are \(LintOptions.ruleIDs.sorted().joined(separator: ", "))")
        }
        return rule
    }
}
