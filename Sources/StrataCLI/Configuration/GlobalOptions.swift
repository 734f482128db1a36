import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// Where the migrations and the configuration are: the options of every command that reads
/// migration files, `strata sql` included, which needs no database.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated folders holding migrations, searched recursively (default: migrations).", valueName: "folders"))
    var locations: String?

    @Option(name: .long, help: ArgumentHelp(
        "The file layout: flyway, golang-migrate or dbmate (default: detected for each location).", valueName: "layout"))
    var format: MigrationLayout?

    @Option(name: .long, help: ArgumentHelp(
        "The history table, optionally schema-qualified (default: strata_schema_history). Use flyway_schema_history to adopt a Flyway database.",
        valueName: "name"))
    var table: String?

    @Option(name: [.customShort("p"), .customLong("placeholder")], help: ArgumentHelp(
        "A value for ${name} in migrations (repeatable).", valueName: "name=value"))
    var placeholders: [String] = []

    @Option(name: .long, help: ArgumentHelp("The configuration file (default: strata.toml, when there is one).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp(
        "The [environments.NAME] section of the configuration to use (default: $STRATA_ENVIRONMENT).", valueName: "name"))
    var environment: String?

    @Flag(name: .long, help: "Do not check the locations' strata.sum files.")
    var noSum = false

    @Option(name: .long, help: ArgumentHelp(
        "A Liquibase changelog (XML, YAML, JSON or formatted SQL) to run instead of the locations, recorded in DATABASECHANGELOG.",
        valueName: "file"))
    var changelog: String?

    @Option(name: .long, help: ArgumentHelp("With --changelog: the run's comma-separated contexts (default: all).", valueName: "contexts"))
    var contexts: String?

    @Option(name: .long, help: ArgumentHelp("With --changelog: a label expression such as 'v1 and !beta' (default: all).", valueName: "expression"))
    var labels: String?

    @Flag(name: .long, help: "With --changelog: record changesets with a Java customChange as MARK_RAN instead of refusing them.")
    var skipCustomChanges = false

    /// The settings these options give, with what `extra` (a command's other flags) adds.
    func settings(extra: [String: TOMLDocument.Value] = [:]) throws -> Settings {
        var flags = extra
        if noSum { flags["sum"] = .bool(false) }
        if let locations { flags["locations"] = Settings.list(fromText: locations) }
        if let format { flags["format"] = .string(format.rawValue) }
        if let table { flags["table"] = .string(table) }
        if let changelog { flags["changelog"] = .string(changelog) }
        if let contexts { flags["contexts"] = Settings.list(fromText: contexts) }
        if let labels { flags["labels"] = .string(labels) }
        if skipCustomChanges { flags["skip_custom_changes"] = .bool(true) }
        return try Settings(flags: flags, flagPlaceholders: try Self.placeholderValues(placeholders), configPath: config,
                            environmentName: environment)
    }

    static func placeholderValues(_ pairs: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ConfigurationError("-p '\(pair)' gives no value: write -p \(pair)=VALUE.")
            }
            guard !parts[0].isEmpty else {
                throw ConfigurationError("-p '=…' gives a value but no name: write -p NAME=VALUE (the value is not shown: it may be a secret).")
            }
            values[String(parts[0])] = String(parts[1])
        }
        return values
    }
}

/// The options every command that touches a database takes. Each one left out falls back to
/// its `STRATA_*` variable, then to `strata.toml`, then to its default (see ``Settings``).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: sqlite:PATH, sqlite:///absolute/path.db, sqlite::memory:, postgresql://user@host/db or a libpq key=value string (default: sqlite:strata.db).",
        valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL: comma-separated schemas; the first holds the history table and leads the search path. Missing ones are created.",
        valueName: "schemas"))
    var schemas: String?

    @Option(name: .long, help: ArgumentHelp(
        "Seconds to wait for another run's migration lock before giving up (default: wait as long as it takes).",
        valueName: "seconds"))
    var lockWait: Double?

    @Option(name: .long, help: ArgumentHelp("text, or json for one JSON event per line on standard error (for log pipelines).", valueName: "format"))
    var logFormat: LogFormat?

    @Option(name: .long, help: ArgumentHelp("Write the run's metrics to this file in Prometheus's text format when it ends (node_exporter's textfile collector).", valueName: "path"))
    var metricsFile: String?

    @Option(name: .long, help: ArgumentHelp("When the run fails, run this shell command with the failure as JSON on its standard input.", valueName: "command"))
    var notifyCommand: String?

    @Option(name: .long, help: ArgumentHelp(
        "Also keep another tool's schema_migrations table as that tool does: strata (the default, none), golang-migrate or dbmate.",
        valueName: "tool"))
    var history: String?

    @OptionGroup var source: SourceOptions

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// The settings these options give, with what `extra` (a command's own flags) adds.
    func settings(extra: [String: TOMLDocument.Value] = [:]) throws -> Settings {
        var flags = extra
        if let url { flags["url"] = .string(url) }
        if let logFormat { flags["log_format"] = .string(logFormat.rawValue) }
        if let metricsFile { flags["metrics_file"] = .string(metricsFile) }
        if let notifyCommand { flags["notify_command"] = .string(notifyCommand) }
        if let schemas { flags["schemas"] = Settings.list(fromText: schemas) }
        if let lockWait { flags["lock_wait"] = .float(lockWait) }
        if let history { flags["history"] = .string(history) }
        return try source.settings(extra: flags)
    }
}

extension MigrationLayout: ExpressibleByArgument {}

/// `--json` for commands that print a report.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the report as JSON on standard output.")
    var json = false
}
