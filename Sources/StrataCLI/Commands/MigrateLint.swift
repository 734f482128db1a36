import Strata
import StrataLint

/// What `strata migrate` does on PostgreSQL before it runs anything (unless `safety = "off"`):
/// lints the migrations it is about to apply, with the applied ones telling what exists, so the
/// findings are in front of whoever runs it; under `safety = "strict"` an error-level one stops the run.
/// Under `safety = "rewrite"`, a finding about a statement that runs in its safe form is an
/// `info` note saying what runs instead.
struct MigrateLint {
    let safety: Safety
    let findings: [LintFinding]

    /// Lints the pending steps of `plan` with the migrator that will run them; no findings on
    /// SQLite or with `safety = "off"`. Without libpg_query the lint is skipped with a warning,
    /// except under `strict`, which then refuses.
    init(session: Session, migrator: Migrator, plan: PlanOptions) throws {
        let url = try session.configuration.databaseURL()
        safety = try session.settings.safety(for: url)
        guard safety != .off, case .postgres = url else {
            findings = []
            return
        }
        let planned = try migrator.info(plan)
        guard !planned.steps.isEmpty else {
            findings = []
            return
        }
        let inputs = try LintInputs.pending(planned, of: migrator, at: url)
        let options = LintOptions(postgresVersion: inputs.serverVersion ?? 15, disabled: session.settings.lint.disabled,
                                  severities: session.settings.lint.severities)
        do {
            let rewrites = safety == .rewrite ? try migrator.rewrites(of: planned) : [:]
            findings = RewrittenFindings.mark(try inputs.lint(with: Linter(options: options)), rewrites: rewrites)
        } catch let error as ParserUnavailable {
            // Only a missing parser skips the lint: a file that changed or vanished since the
            // catalog was read (its SQL is read as the lint reaches it) stops the run here.
            if safety == .strict { throw error }
            Session.printNotices(.warning("the pending migrations were not linted: \(error)"))
            findings = []
        }
    }

    /// The refusal `strict` calls for, if any.
    var refusal: StrictRefusal? {
        safety == .strict ? StrictRefusal(findings) : nil
    }

    /// The findings on standard error, one line each, so the report on standard output stays as it was.
    func printFindings() {
        let rewritten = findings.filter { $0.rewrittenAs != nil }
        let standing = findings.filter { $0.rewrittenAs == nil }
        if !standing.isEmpty {
            let count = standing.count == 1 ? "1 lint finding" : "\(standing.count) lint findings"
            Terminal.error("The pending migrations have \(count) (`strata lint` shows why, and the safe SQL):")
            for finding in standing {
                Terminal.error("  \(finding.path):\(finding.line): \(finding.severity.rawValue) [\(finding.rule)] \(finding.message)")
            }
        }
        guard !rewritten.isEmpty else { return }
        Terminal.error("\(rewritten.count == 1 ? "1 statement runs" : "\(rewritten.count) statements run") in a safe form instead (safety = \"rewrite\"):")
        for finding in rewritten {
            Terminal.error("  \(finding.path):\(finding.line): info [\(finding.rule)] rewritten: \(finding.rewrittenAs ?? "")")
        }
    }
}
