import ArgumentParser
import Strata

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that the applied migrations match the files; exit 1 listing every difference.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let valid: Bool
        let findings: [String]
    }

    func run() throws {
        let migrator = try Session(global).migrator(create: false)
        let findings = try migrator.validate()
        let plan = try migrator.info()
        if output.json {
            try JSONOutput.print(Report(valid: findings.isEmpty, findings: findings.map(\.description)))
        } else if findings.isEmpty {
            let applied = plan.infos.filter { $0.applied != nil }.count
            Terminal.print("Validated \(plan.infos.count) migrations (\(applied) applied): the history matches the files.")
        } else {
            Terminal.error("Validation failed with \(findings.count) finding\(findings.count == 1 ? "" : "s"):")
            for finding in findings { Terminal.error("  - \(finding)") }
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }
}
