import ArgumentParser
import Strata
import StrataKit

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
        abstract: "Print the schema of the managed schemas (the history table left out).",
        discussion: "The SQL form is not written yet; both forms print the schema as JSON for now.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let configuration = try Session(global).configuration
        let url = try configuration.databaseURL()
        let schema = try configuration.schema(of: .database(url), scratchServer: url)
        try JSONOutput.print(schema)
    }
}
