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
        "The database: sqlite:PATH, sqlite:///absolute/path.db or sqlite::memory:. Default: $STRATA_URL, else sqlite:strata.db.",
        valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated folders holding migrations, searched recursively.", valueName: "folders"))
    var locations: String = "migrations"

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

    func historyTable() throws -> TableName {
        try TableName(parsing: table)
    }
}

/// `--json` for commands that print a report.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the report as JSON on standard output.")
    var json = false
}
