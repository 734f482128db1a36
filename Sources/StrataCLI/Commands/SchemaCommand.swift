import ArgumentParser
import Strata
import StrataKit
import StrataSchema

/// `strata schema`: the live database's schema as data.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Read the live database's schema.",
        subcommands: [SchemaDumpCommand.self])
}

/// `strata schema dump`: every object of the managed schemas, without the history table, in
/// a deterministic order so that two dumps of equal schemas are byte-equal. It reads no
/// migrations, so it works on any database.
struct SchemaDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the schema of the managed schemas (the history table left out) as SQL in dependency order, or as JSON.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let configuration = try Session(global).configuration
        let url = try configuration.databaseURL()
        let schema = try configuration.schema(of: .database(url), scratchServer: url)
        if output.json {
            try JSONOutput.print(schema)
            return
        }
        do {
            Terminal.print(try render(schema, flavor: url.flavor))
        } catch {
            throw SchemaDumpError(reason: error)
        }
    }
}

/// The schema was read but cannot be written as SQL for its own engine.
struct SchemaDumpError: StrataError {
    let reason: SchemaChangeError
    var category: ErrorCategory { .failure }
    var description: String { "cannot write the schema as SQL: \(reason). `--json` prints it as read." }
}
