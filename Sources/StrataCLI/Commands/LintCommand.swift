import ArgumentParser
import Strata
import StrataKit
import StrataLint

/// `strata lint`: the statements of migrations checked against what they do to a live
/// PostgreSQL (locks, scans, rewrites, broken clients), with the safe SQL for each finding.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check PostgreSQL migrations for statements that lock, scan or rewrite live tables; exit 1 on an error-level finding.",
        discussion: """
            Without paths: the pending migrations of the configured PostgreSQL database, or every \
            migration file when none is configured or reachable. Rules are turned off or made \
            warnings in strata.toml's [lint] (disable = ["rule-id"], severity.rule-id = "warning"), \
            and for one statement with `-- strata:lint-ignore rule-id` on the line before it.
            With --measure, the migrations also run on a scratch database holding the target's \
            schema (no rows), one statement per transaction; each statement's locks on existing \
            relations are read from pg_locks and its rewrites from relfilenode, and where a rule \
            disagrees the measurement wins. Statements that cannot run in a transaction \
            (CONCURRENTLY, VACUUM) run but are reported as not measured.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, github, sarif
    }

    @Argument(help: ArgumentHelp("Migration files or folders (default: the pending migrations).", valueName: "paths"))
    var paths: [String] = []

    @Option(name: .long, help: "text, json, github (workflow annotations) or sarif (SARIF 2.1.0).")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "The same as --format json.")
    var json = false

    @Option(name: .customLong("pg-version"), help: ArgumentHelp("The PostgreSQL major version the migrations will run on (default: the server's, else 15).", valueName: "major"))
    var postgresVersion: Int?

    @Flag(name: .long, help: "Also run the migrations on a scratch copy of the PostgreSQL database's schema and report the locks and rewrites each statement caused.")
    var measure = false

    @OptionGroup var source: LintSourceOptions
    @OptionGroup var fleet: FleetOptions

    func validate() throws {
        if let postgresVersion, !(9...30).contains(postgresVersion) {
            throw ValidationError("--pg-version takes a PostgreSQL major version such as 15, not \(postgresVersion).")
        }
    }

    func run() throws {
        if try fleet.ranOnTargets(configPath: source.config, json: json || format == .json) { return }
        let settings = try source.settings()
        let inputs = try LintInputs.gather(paths: paths, settings: settings)
        let version = postgresVersion ?? inputs.serverVersion ?? 15
        let linter = Linter(options: LintOptions(postgresVersion: version, disabled: settings.lint.disabled, severities: settings.lint.severities))
        let report = LintReport(scope: inputs.scope, postgresVersion: version, files: inputs.reportedCount,
                                findings: try inputs.lint(with: linter))
        if measure {
            try printMeasurement(report, of: try inputs.sources(), settings: settings)
            return
        }
        switch json ? .json : format {
        case .text: Terminal.print(report.text)
        case .json: Terminal.print(report.json)
        case .github:
            Terminal.error("Linted \(report.scope). \(report.summary)")
            if !report.findings.isEmpty { Terminal.print(report.githubAnnotations) }
        case .sarif:
            Terminal.error("Linted \(report.scope). \(report.summary)")
            try JSONOutput.print(report.sarif)
        }
        if report.errors > 0 { throw ExitCode(1) }
    }

    /// `--measure`: text or JSON only; exit 1 on an error-level finding or a statement PostgreSQL refused.
    private func printMeasurement(_ report: LintReport, of sources: [LintSource], settings: Settings) throws {
        guard json || [.text, .json].contains(format) else {
            throw ValidationError("--measure prints text or json, not \(format.rawValue).")
        }
        let statements = try settings.configuration().withSchemaCopy { database in
            try LockProbe(database: database).measure(sources)
        }
        let measured = MeasureReport(lint: report, statements: statements)
        if json || format == .json { try JSONOutput.print(measured) } else { Terminal.print(measured.text) }
        if report.errors > 0 || measured.failures > 0 { throw ExitCode(1) }
    }
}

/// The options `strata lint` shares with the other commands. Its `--format` is the output's,
/// so the layout comes from `strata.toml` or detection (or `--layout`).
struct LintSourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database whose pending migrations to lint (default: $STRATA_URL or strata.toml's).", valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated folders holding migrations (default: migrations).", valueName: "folders"))
    var locations: String?

    @Option(name: .long, help: ArgumentHelp("The file layout: flyway, golang-migrate or dbmate (default: detected).", valueName: "layout"))
    var layout: MigrationLayout?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL: comma-separated schemas; the first holds the history table.", valueName: "schemas"))
    var schemas: String?

    @Option(name: .long, help: ArgumentHelp("The history table (default: strata_schema_history).", valueName: "name"))
    var table: String?

    @Option(name: [.customShort("p"), .customLong("placeholder")], help: ArgumentHelp("A value for ${name} in migrations (repeatable).", valueName: "name=value"))
    var placeholders: [String] = []

    @Option(name: .long, help: ArgumentHelp("The configuration file (default: strata.toml, when there is one).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The [environments.NAME] section of the configuration to use.", valueName: "name"))
    var environment: String?

    func settings() throws -> Settings {
        var flags: [String: TOMLDocument.Value] = [:]
        if let url { flags["url"] = .string(url) }
        if let locations { flags["locations"] = Settings.list(fromText: locations) }
        if let layout { flags["format"] = .string(layout.rawValue) }
        if let schemas { flags["schemas"] = Settings.list(fromText: schemas) }
        if let table { flags["table"] = .string(table) }
        return try Settings(flags: flags, flagPlaceholders: try SourceOptions.placeholderValues(placeholders), configPath: config,
                            environmentName: environment)
    }
}
