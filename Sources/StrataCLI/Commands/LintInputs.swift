#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Strata
import StrataKit
import StrataLint

/// Which migrations `strata lint` reads, and what it says about that choice.
struct LintInputs {
    let sources: [LintSource]
    /// In words, for the report.
    let scope: String
    /// The major version of the server, when one was asked.
    let serverVersion: Int?

    static func gather(paths: [String], settings: Settings) throws -> LintInputs {
        let configuration = try settings.configuration()
        if !paths.isEmpty {
            let sources = try paths.flatMap { try sourcesAt($0, configuration) }
            return LintInputs(sources: sources, scope: "\(count(sources.count)) in \(paths.joined(separator: ", "))", serverVersion: nil)
        }
        let url = try settings.databaseURL() ?? configuration.databaseURL()
        guard case .postgres = url else {
            return try everyFile(configuration, because: "the configured database, \(url.display), is not PostgreSQL")
        }
        let migrator: Migrator
        let plan: Plan
        do {
            migrator = try configuration.makeMigrator(create: false)
            plan = try migrator.info()
        } catch let error as CatalogError {
            throw error
        } catch {
            return try everyFile(configuration, because: "\(url.display) cannot be reached (\(error))")
        }
        return try pending(plan, of: migrator, at: url)
    }

    /// The steps of `plan` to report, after the applied migrations that say what exists.
    static func pending(_ plan: Plan, of migrator: Migrator, at url: DatabaseURL) throws -> LintInputs {
        let pending = Set(plan.steps.map(\.migration.path))
        let sources = try runnable(migrator.catalog).map { try LintSource($0, reported: pending.contains($0.path)) }
        let version = try? migrator.database.query("SHOW server_version_num", []).first?[0].string.flatMap { Int($0) }.map { $0 / 10_000 }
        return LintInputs(sources: sources, scope: "the \(count(pending.count, "pending migration")) of \(url.display)", serverVersion: version ?? nil)
    }

    /// Every migration file of the locations, placeholders replaced as `strata sql` replaces them.
    private static func everyFile(_ configuration: StrataConfiguration, because reason: String) throws -> LintInputs {
        let sources = try runnable(try configuration.offlineCatalog()).map { try LintSource($0) }
        return LintInputs(sources: sources, scope: "every migration file (\(count(sources.count))), since \(reason)", serverVersion: nil)
    }

    /// The SQL migrations in the order they run: versioned, then repeatable.
    private static func runnable(_ catalog: Catalog) -> [Migration] {
        catalog.all.filter { [.versioned, .repeatable].contains($0.kind) && !$0.isCode }
    }

    /// A folder is read as a location (its layout's migrations, in order); a file as it is.
    private static func sourcesAt(_ path: String, _ configuration: StrataConfiguration) throws -> [LintSource] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigurationError("\(path) does not exist; give strata lint migration files or folders.")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            var folder = configuration
            folder.locations = [path]
            folder.verifiesSums = false
            return try runnable(try folder.offlineCatalog()).map { try LintSource($0) }
        }
        guard let data = FileManager.default.contents(atPath: path), let sql = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("\(path) cannot be read as UTF-8 text.")
        }
        let file = Migration(kind: .repeatable, version: nil, description: path, script: path, sql: sql)
        let replaced = try configuration.offlinePlaceholders.apply(to: try Catalog([file]))
        return [LintSource(path: path, sql: try replaced.all.first?.sql ?? sql)]
    }

    private static func count(_ number: Int, _ noun: String = "migration") -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
