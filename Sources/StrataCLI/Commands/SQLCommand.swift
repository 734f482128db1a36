import ArgumentParser
import Strata
import StrataKit

/// `strata sql`: the script a DBA reviews and applies with `psql` or `sqlite3`, written with
/// no database at all.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Write, without a database, the SQL script that migrates (or undoes) between two versions.")

    enum DialectName: String, ExpressibleByArgument, CaseIterable {
        case postgres, sqlite
    }

    @Option(name: .long, help: ArgumentHelp("The engine the script is for: postgres or sqlite.", valueName: "dialect"))
    var dialect: DialectName

    @Option(name: .long, help: ArgumentHelp("The version the database is at (default: an empty database, whose history table the script creates).", valueName: "version"))
    var from: MigrationVersion?

    @Option(name: .long, help: ArgumentHelp("How far to go: a version, latest, next or +N; with --undo, the version to go back to.", valueName: "target"))
    var to: MigrationTarget?

    @Flag(name: .long, help: "Write the down scripts from --from back to --to instead; with --changelog, the rollback of every changeset, newest first.")
    var undo = false

    @OptionGroup var source: SourceOptions

    func validate() throws {
        // A changelog's rollback needs no versions (run() refuses them); a configuration that
        // cannot be read is reported by run().
        guard (try? source.settings().configuration())?.changelog == nil else { return }
        if undo && to == nil { throw ValidationError("--undo needs --to, the version to go back to (0 undoes everything).") }
        if undo && from == nil { throw ValidationError("--undo needs --from, the version the database is at.") }
    }

    func run() throws {
        let target = to ?? .latest
        let configuration = try source.settings().configuration()
        let sqlDialect: any SQLDialect = dialect == .postgres ? PostgresDialect() : SQLiteDialect()
        if configuration.changelog != nil {
            guard from == nil, to == nil else {
                throw ValidationError("With --changelog, strata sql writes the update of an empty database (with --undo, its "
                    + "rollback, as Liquibase's future-rollback-sql); --from and --to take versions, which changesets have not. "
                    + "For a live database, use `strata migrate --dry-run` or `strata undo --dry-run`.")
            }
            return Terminal.print(try undo ? configuration.offlineChangelogRollbackSQL(dialect: sqlDialect)
                : configuration.offlineChangelogSQL(dialect: sqlDialect))
        }
        Terminal.print(try configuration.offlineScript(dialect: sqlDialect, from: from, to: target, undo: undo))
    }
}
