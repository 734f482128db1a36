import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// The options every command that touches migrations takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: sqlite:PATH, sqlite:///absolute/path.db, sqlite::memory:, postgresql://user@host/db or a libpq key=value string. Default: $STRATA_URL, else sqlite:strata.db.",
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

    @Option(name: [.customShort("p"), .customLong("placeholder")], help: ArgumentHelp(
        "A value for ${name} in migrations (repeatable).", valueName: "name=value"))
    var placeholders: [String] = []

    /// The `-p name=value` pairs.
    func placeholderValues() throws -> [String: String] {
        try Self.placeholderValues(placeholders)
    }

    static func placeholderValues(_ pairs: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ConfigurationError("-p '\(pair)' is not name=value.")
            }
            values[String(parts[0])] = String(parts[1])
        }
        return values
    }

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated folders holding migrations, searched recursively.", valueName: "folders"))
    var locations: String = "migrations"

    @Option(name: .long, help: ArgumentHelp(
        "The file layout: flyway, golang-migrate or dbmate (default: detected for each location).", valueName: "layout"))
    var format: MigrationLayout?

    @Option(name: .long, help: ArgumentHelp(
        "The history table, optionally schema-qualified. Use flyway_schema_history to adopt a Flyway database.",
        valueName: "name"))
    var table: String = TableName.defaultHistory.description

    var locationList: [String] {
        locations.split(separator: ",").map { SQLText.trimmed($0) }.filter { !$0.isEmpty }
    }

    func databaseURL() throws -> DatabaseURL {
        try DatabaseURL(parsing: url ?? ProcessInfo.processInfo.environment["STRATA_URL"] ?? DatabaseURL.defaultURL)
    }

    var schemaList: [String] {
        (schemas ?? "").split(separator: ",").map { SQLText.trimmed($0) }.filter { !$0.isEmpty }
    }

    /// The history table, in the first of `--schemas` unless it names its own schema.
    func historyTable() throws -> TableName {
        let name = try TableName(parsing: table)
        guard name.schema == nil, let first = schemaList.first else { return name }
        return TableName(schema: first, name: name.name)
    }
}

/// `--json` for commands that print a report.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the report as JSON on standard output.")
    var json = false
}

extension MigrationLayout: ExpressibleByArgument {}
