import ArgumentParser
import Strata
import StrataKit

/// `strata validate`: the history against the files, and with `--schema` the live schema
/// against what the applied migrations produce.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that the applied migrations match the files (and with --schema, that the live schema matches them); exit 1 listing every difference.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var fleet: FleetOptions

    @Flag(name: .long, help: "Also compare the live schema with what the applied migrations produce (see `strata drift`).")
    var schema = false

    @Option(name: .long, help: ArgumentHelp("With --schema: where migrations are replayed (see `strata drift`).", valueName: "url"))
    var devURL: String?

    struct Report: Encodable {
        let valid: Bool
        let findings: [String]
    }

    func run() throws {
        if try fleet.ranOnTargets(configPath: global.source.config, json: output.json) { return }
        let session = try Session(global)
        if let changelog = try ChangelogRun.open(session, json: output.json, create: false) { return try changelog.validate() }
        let migrator = try session.migrator(create: false, readOnly: true)
        var findings = try migrator.validate().map(\.description)
        if schema {
            let server = try SchemaComparisonOptions.scratchServer(devURL: devURL, session.configuration, sides: [])
            findings += try session.configuration.driftDifferences(scratchServer: server).map { "schema drift: \($0)" }
        }
        let plan = try migrator.info()
        if output.json {
            try JSONOutput.print(Report(valid: findings.isEmpty, findings: findings))
        } else if findings.isEmpty {
            let applied = plan.infos.filter { $0.applied != nil }.count
            Terminal.print("Validated \(plan.infos.count) migrations (\(applied) applied): the history matches the files\(schema ? " and the schema matches the migrations" : "").")
        } else {
            Terminal.error("Validation failed with \(findings.count) finding\(findings.count == 1 ? "" : "s"):")
            for finding in findings { Terminal.error("  - \(finding)") }
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }
}
