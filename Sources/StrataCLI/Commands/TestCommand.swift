import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataKit

/// `strata test`: every migration rehearsed on scratch databases (see `MigrationTestRun`).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Rehearse the migrations on a scratch database: each applied, undone and applied again, repeatables run twice, data checks, and the stairway test. Exit 1 when anything fails.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Fail for a version without a down script (default: a warning).")
    var requireUndo = false

    @Option(name: .long, help: ArgumentHelp("A SQL file of seed data run before the migrations, after the locations' S__ files (repeatable).", valueName: "file"))
    var seed: [String] = []

    @Option(name: .customLong("dev-url"), help: ArgumentHelp(
        "PostgreSQL: the server where the scratch databases are made and dropped (default: the configured database's).", valueName: "url"))
    var devURL: String?

    @Option(name: .long, help: ArgumentHelp("Write the results as JUnit XML to this file, for CI; - writes them to standard output instead of the text.", valueName: "path"))
    var junit: String?

    func run() throws {
        let session = try Session(global)
        let options = MigrationTestOptions(requireUndo: requireUndo, seedFiles: seed, scratchServer: try devURL.map { try DatabaseURL(parsing: $0) })
        let report = try MigrationTestRun(configuration: session.configuration, options: options, onEvent: Session.printNotices).run()
        if let junit {
            let xml = JUnitXML.document(for: report)
            if junit == "-" {
                Terminal.print(xml)
            } else {
                do {
                    try xml.write(toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    throw ConfigurationError("Cannot write the JUnit report to \(junit): \(error).")
                }
            }
        }
        if output.json {
            try JSONOutput.print(report)
        } else if junit != "-" {
            TestReportPrinter.print(report)
        }
        if !report.passed { throw ExitCode(1) }
    }
}
