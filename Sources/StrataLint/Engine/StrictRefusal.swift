import Strata

/// `safety = "strict"`: `strata migrate` refuses to start while a pending migration has an
/// error-level finding, so a statement that would lock or rewrite a live table never runs by accident.
public struct StrictRefusal: StrataError, Equatable {
    /// The error-level findings that stop the run, in the order the linter returned them.
    public let findings: [LintFinding]

    /// The refusal the findings call for, or nil when none of them is an error.
    public init?(_ findings: [LintFinding]) {
        let errors = findings.filter { $0.severity == .error }
        guard !errors.isEmpty else { return nil }
        self.findings = errors
    }

    /// ``ErrorCategory/failure``: `strata` exits with 1.
    public var category: ErrorCategory { .failure }

    /// Each finding by file, line and rule, and the ways out.
    public var description: String {
        let count = findings.count == 1 ? "an error-level lint finding" : "\(findings.count) error-level lint findings"
        let list = findings.map { "  - \($0.path):\($0.line): [\($0.rule)] \($0.message)" }.joined(separator: "\n")
        return """
            safety = "strict" refuses to migrate: the pending migrations have \(count); nothing was run. \
            Rewrite each statement as `strata lint` shows, or put `-- strata:lint-ignore RULE` on the line before it, \
            or make the rule a warning in [lint]:
            \(list)
            """
    }
}
