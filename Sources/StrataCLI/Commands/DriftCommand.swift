import ArgumentParser
import Strata
import StrataKit
import StrataSchema

/// `strata drift`: whether the live database still has the schema its applied migrations make.
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the live schema with what its applied migrations produce; exit 1 listing each difference.")

    @OptionGroup var schemaOptions: SchemaComparisonOptions
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let drifted: Bool
        let differences: [SchemaDifference]
    }

    func run() throws {
        let session = try Session(global)
        let server = try schemaOptions.scratchServer(session.configuration, sides: [])
        let differences = try session.configuration.driftDifferences(scratchServer: server, renames: try schemaOptions.renames())
        if output.json {
            try JSONOutput.print(Report(drifted: !differences.isEmpty, differences: differences))
        } else if differences.isEmpty {
            Terminal.print("No drift: \(session.display) has the schema its applied migrations produce.")
        } else {
            Terminal.error("\(session.display) drifted from its migrations (\(differences.count) difference\(differences.count == 1 ? "" : "s")):")
            for difference in differences { Terminal.error("  - \(difference)") }
        }
        if !differences.isEmpty { throw ExitCode(1) }
    }
}
