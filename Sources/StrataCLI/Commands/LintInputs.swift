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

/// Which migrations `strata lint` reads, and what it says about that choice. A catalog's
/// files are read one at a time as the lint reaches them, never all at once.
struct LintInputs {
    /// In words, for the report.
    let scope: String
    /// The major version of the server, when one was asked.
    let serverVersion: Int?
    /// How many of the sources are reported (the others only say what exists).
    let reportedCount: Int
    /// Whether the reported sources are the pending migrations of a database, which one
    /// `migrate` runs together (see ``LintPass/init(_:oneRun:)``).
    let oneRun: Bool
    /// Hands each source to its argument, in the order they run.
    private let visit: ((LintSource) throws -> Void) throws -> Void

    private init(scope: String, serverVersion: Int?, reportedCount: Int, oneRun: Bool = false,
                 visit: @escaping ((LintSource) throws -> Void) throws -> Void) {
        self.scope = scope
        self.serverVersion = serverVersion
        self.reportedCount = reportedCount
        self.oneRun = oneRun
        self.visit = visit
    }

    private init(sources: [LintSource], scope: String, serverVersion: Int?) {
        self.init(scope: scope, serverVersion: serverVersion, reportedCount: sources.count { $0.reported }) { body in
            for source in sources { try body(source) }
        }
    }

    /// The findings of the reported sources, in the order they run.
    func lint(with linter: Linter) throws -> [LintFinding] {
        var pass = LintPass(linter, oneRun: oneRun)
        var findings: [LintFinding] = []
        try visit { findings += try pass.lint($0) }
        return findings
    }

    /// Every source, read into memory (`--measure` runs them all on a scratch database).
    func sources() throws -> [LintSource] {
        var sources: [LintSource] = []
        try visit { sources.append($0) }
        return sources
    }

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
        let pending = Set(plan.steps.map(\.migration.file))
        let catalog = migrator.catalog
        let version = try? migrator.database.query("SHOW server_version_num", []).first?[0].string.flatMap { Int($0) }.map { $0 / 10_000 }
        return LintInputs(scope: "the \(count(pending.count, "pending migration")) of \(url.display)", serverVersion: version ?? nil,
                          reportedCount: runnable(catalog).count { pending.contains($0.file) }, oneRun: true) { body in
            for migration in runnable(catalog) {
                try body(try LintSource(migration, reported: pending.contains(migration.file)))
            }
        }
    }

    /// Every migration file of the locations, placeholders replaced as `strata sql` replaces them.
    private static func everyFile(_ configuration: StrataConfiguration, because reason: String) throws -> LintInputs {
        let catalog = try configuration.offlineCatalog()
        let total = runnable(catalog).count { _ in true }
        return LintInputs(scope: "every migration file (\(count(total))), since \(reason)", serverVersion: nil, reportedCount: total) { body in
            for migration in runnable(catalog) {
                try body(try LintSource(migration))
            }
        }
    }

    /// The SQL migrations in the order they run: versioned, then repeatable (not copied).
    private static func runnable(_ catalog: Catalog) -> some Sequence<Migration> {
        [catalog.versioned, catalog.repeatables].joined().lazy.filter { !$0.isCode }
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
