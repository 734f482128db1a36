#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataLiquibase
import StrataLiquibaseRunner

/// A Liquibase changelog to run, and the choices Liquibase's own flags make.
public struct ChangelogSettings: Sendable {
    /// The root changelog, recorded in `DATABASECHANGELOG.FILENAME` as written here (as Liquibase
    /// records its `--changelog-file`), so give it as Liquibase was given it.
    public var path: String
    /// `--contexts`: the run's contexts (empty runs every changeset not marked `@`).
    public var contexts: Set<String>
    /// `--labels`: a label expression (`v1 and !beta`); empty runs every changeset.
    public var labels: String
    /// Record changesets with a Java `customChange` as MARK_RAN instead of refusing the run.
    public var skipCustomChanges: Bool

    public init(path: String, contexts: Set<String> = [], labels: String = "", skipCustomChanges: Bool = false) {
        self.path = path
        self.contexts = contexts
        self.labels = labels
        self.skipCustomChanges = skipCustomChanges
    }
}

extension StrataConfiguration {
    /// A runner for the configured changelog over the configured database; the changelog is read
    /// (and any error in it reported with its file and line) before the database is opened.
    /// `placeholders` become the changelog's properties, as Liquibase's `-D` parameters.
    public func makeChangeLogRunner(create: Bool = true, onEvent: @escaping (ChangeLogEvent) -> Void = { _ in }) throws -> ChangeLogRunner {
        let location = try databaseURL()
        let name = switch location {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
        let loaded = try loadChangelog(database: name)
        return changeLogRunner(on: try open(location, create: create), loaded, onEvent: onEvent)
    }

    /// The SQL `update` would run on an empty database of `dialect`, written with no database at all.
    public func offlineChangelogSQL(dialect: any SQLDialect) throws -> String {
        let name = dialect is PostgresDialect ? "postgresql" : "sqlite"
        let database = RecordingDatabase(dialect: dialect, reads: nil)
        return try changeLogRunner(on: database, try loadChangelog(database: name)).updateSQL()
    }

    /// The rollback of every changeset `update` would run on an empty database, newest first
    /// (Liquibase's `future-rollback-sql`), written with no database at all.
    public func offlineChangelogRollbackSQL(dialect: any SQLDialect) throws -> String {
        let name = dialect is PostgresDialect ? "postgresql" : "sqlite"
        let database = RecordingDatabase(dialect: dialect, reads: nil)
        return try changeLogRunner(on: database, try loadChangelog(database: name)).futureRollbackSQL()
    }

    /// The configured changelog, read with its settings' label expression, parsed once for the
    /// reading and the run.
    private struct LoadedChangelog {
        let settings: ChangelogSettings
        let labels: LabelExpression
        let changelog: LiquibaseChangelog
    }

    private func loadChangelog(database name: String) throws -> LoadedChangelog {
        guard let settings = changelog else {
            throw ConfigurationError("No changelog is configured: pass --changelog FILE or set changelog in strata.toml.")
        }
        let labels: LabelExpression
        do throws(FilterExpressionError) {
            labels = try LabelExpression(parsing: settings.labels)
        } catch {
            throw ConfigurationError("The changelog's labels '\(settings.labels)' are not a label expression: \(error.reason). Write one such as 'v1 and !beta' (--labels, or labels in strata.toml).")
        }
        let loaded = try LiquibaseChangelog.load(
            path: settings.path,
            options: ChangelogOptions(properties: placeholders, database: name, contexts: settings.contexts, labels: labels))
        return LoadedChangelog(settings: settings, labels: labels, changelog: loaded)
    }

    private func changeLogRunner(on database: any Database, _ loaded: LoadedChangelog,
                                 onEvent: @escaping (ChangeLogEvent) -> Void = { _ in }) -> ChangeLogRunner {
        let options = ChangeLogRunOptions(contexts: loaded.settings.contexts, labels: loaded.labels,
                                          skipCustomChanges: loaded.settings.skipCustomChanges, liquibaseLockWait: lockWait ?? .seconds(300))
        let rendering = LiquibaseRendering(flavor: database.dialect is PostgresDialect ? .postgresql : .sqlite,
                                           contexts: options.contexts, labels: options.labels)
        return ChangeLogRunner(database: database, changelog: loaded.changelog, rendering: rendering, options: options,
                               schema: historyTable.schema, onEvent: onEvent)
    }
}
