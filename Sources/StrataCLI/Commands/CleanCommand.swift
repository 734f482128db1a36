import ArgumentParser
import Strata

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
