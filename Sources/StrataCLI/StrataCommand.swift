import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Strata

/// The `strata` command: parses arguments, runs one subcommand, and turns errors into one
/// clear paragraph on standard error and an exit code.
public struct StrataCommand: ParsableCommand {
    /// The command's name, help text, version and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Versioned, checksummed database migrations from plain SQL files.",
        discussion: """
            Migrations are files in the locations (default: migrations/), in Flyway's layout \
            (V<version>__<description>.sql versioned, R__<description>.sql repeatable, \
            B<version>__<description>.sql baseline, U<version>__<description>.sql undo), \
            golang-migrate's (<version>_<name>.up.sql and .down.sql) or dbmate's \
            (<version>_<name>.sql with -- migrate:up and -- migrate:down sections).

            EXIT CODES
              0  success
              1  a migration or a validation failed (or the migration files are invalid)
              2  usage or configuration error
              3  `check` or `status --exit-code`: migrations are pending
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, NewCommand.self, MigrateCommand.self, UndoCommand.self, InfoCommand.self,
            ValidateCommand.self, RepairCommand.self, BaselineCommand.self, AdoptCommand.self, StatusCommand.self, CheckCommand.self, SQLCommand.self,
            ConfigCommand.self, CleanCommand.self, HashCommand.self, RebaseCommand.self, LintCommand.self, HistoryCommand.self, SchemaCommand.self, DiffCommand.self, DriftCommand.self, GenerateCommand.self,
            TestCommand.self, TagCommand.self, ChangelogSyncCommand.self, MarkNextChangeSetRanCommand.self, ClearChecksumsCommand.self,
        ]
    )

    /// Required by the argument parser, which creates the command it parses.
    public init() {}

    /// The Swift code migrations of the program that runs this command line. Set once, by
    /// ``main(arguments:codeMigrations:)``, before any command runs.
    nonisolated(unsafe) static var codeMigrations: [CodeMigration] = []

    /// Runs the full `strata` command set on `arguments` and exits with the documented exit
    /// code: an application's own migration command line, with its code migrations planned
    /// together with the SQL files.
    ///
    /// ```swift
    /// // Sources/shop-migrate/main.swift
    /// import StrataCLI
    /// StrataCommand.main(codeMigrations: ShopMigrations.all)
    /// ```
    public static func main(arguments: [String] = Array(CommandLine.arguments.dropFirst()), codeMigrations: [CodeMigration]) -> Never {
        Self.codeMigrations = codeMigrations
        run(arguments)
    }

    /// Runs the command line and exits with the documented exit code.
    public static func runAsMain() -> Never {
        run(Array(CommandLine.arguments.dropFirst()))
    }

    /// The arguments the running command was parsed from, for a fleet to pass on.
    nonisolated(unsafe) static var invocationArguments: [String] = []

    /// How to start this program again on the same command: its executable and the arguments
    /// an app puts before Strata's own (`inventory migrations …`).
    static var selfInvocation: (executable: String, prefix: [String]) {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = count > 0 ? String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let all = Array(CommandLine.arguments.dropFirst())
        return (executable, Array(all.prefix(max(all.count - invocationArguments.count, 0))))
    }

    private static func run(_ arguments: [String]) -> Never {
        invocationArguments = arguments
        do {
            var command = try parseAsRoot(arguments)
            RunObserver.commandName = type(of: command).configuration.commandName ?? "strata"
            do {
                try command.run()
            } catch let exit as ExitCode where exit.rawValue == 3 {
                // `check` and `status --exit-code`: pending migrations are a finding, not a failure.
                RunObserver.current?.finish(error: nil)
                throw exit
            } catch {
                RunObserver.current?.finish(error: error)
                throw error
            }
            RunObserver.current?.finish(error: nil)
            Terminal.exit(0)
        } catch let error as any StrataError {
            Terminal.error("error: \(error)")
            Terminal.exit(error.category == .usage ? 2 : 1)
        } catch let error as ExitCode {
            Terminal.exit(error.rawValue)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            Terminal.error(fullMessage(for: error))
            Terminal.exit(2)
        }
    }
}
