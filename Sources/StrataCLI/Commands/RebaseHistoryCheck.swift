import Strata
import StrataKit

/// `strata rebase`'s refusal to renumber a migration that a database it can see has applied:
/// under its new version it would run there a second time.
enum RebaseHistoryCheck {
    /// - Throws: ``AppliedMigrationRenumberError`` naming every such migration and the database.
    static func refuseApplied(_ renames: [MigrationRenumbering.Rename], session: Session) throws {
        guard let history = history(session) else { return }
        // A row of the version from another file is main's migration, which stays where it is.
        let applied = renames.filter { rename in
            history.contains { $0.version == rename.version && $0.scriptFile == rename.from }
        }
        guard applied.isEmpty else {
            throw AppliedMigrationRenumberError(
                files: applied.map { ($0.version, $0.folder + "/" + $0.from) }, database: session.display,
                table: session.configuration.historyTable.description)
        }
    }

    /// The configured database's history, read without its migrations (which collide until
    /// renumbered) and without creating anything; nil, with a warning, when it cannot be reached.
    private static func history(_ session: Session) -> [HistoryEntry]? {
        var configuration = session.configuration
        configuration.locations = []
        configuration.codeMigrations = []
        configuration.verifiesSums = false
        do {
            return try configuration.makeMigrator(create: false).historyEntries()
        } catch {
            Terminal.error("warning: cannot read the history of \(session.display) (\(error)); renumbering without checking it.")
            return nil
        }
    }
}

/// A migration `strata rebase` would renumber has been applied to the configured database.
struct AppliedMigrationRenumberError: StrataError {
    let files: [(version: MigrationVersion, path: String)]
    let database: String
    let table: String

    var category: ErrorCategory { .failure }

    var description: String {
        let list = files.map { "\($0.version) (\($0.path))" }.joined(separator: ", ")
        return """
            \(files.count == 1 ? "Version \(list) is" : "Versions \(list) are") in the history table \(table) of \(database): it has been applied there, and renumbering would make it \
            run a second time. Nothing was renamed. Undo it there first (`strata undo`), or keep its version and move the other migration.
            """
    }
}
