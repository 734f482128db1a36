import ArgumentParser
import Strata

/// `strata config`: the effective configuration and where each value came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration and where each value came from, secrets masked.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    struct Entry: Encodable {
        let key: String
        let value: String
        let source: String
    }

    func run() throws {
        let settings = try global.settings()
        let entries = settings.report.map { Entry(key: $0.key, value: $0.value, source: $0.source) }
        if output.json {
            try JSONOutput.print(entries)
            return
        }
        Terminal.print("Environment: \(settings.environment ?? "(none)")")
        var table = TextTable("Setting", "Value", "From")
        for entry in entries { table.add([entry.key, entry.value, entry.source]) }
        Terminal.print(table.rendered)
    }
}
