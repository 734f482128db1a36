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

/// `strata clean`: drops every object in the managed schemas, for development databases only.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Drop every object in the managed schemas (development only: needs allow_clean = true in strata.toml).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try Session(global)
        // No flag sets allow_clean: only the configuration (or STRATA_ALLOW_CLEAN) can.
        guard session.settings.boolean("allow_clean") else {
            let section = session.settings.environment.map { "[environments.\($0)]" } ?? "the top level"
            throw ConfigurationError(
                "strata clean drops every object in the managed schemas, so it is refused unless the configuration allows it: set `allow_clean = true` in \(section) of strata.toml, for development databases only.")
        }
        let migrator = try session.migrator(create: false)
        let dropped = try migrator.clean(schemas: session.settings.schemas)
        Terminal.print("Cleaned \(session.display): dropped \(dropped.count) object\(dropped.count == 1 ? "" : "s").")
    }
}
