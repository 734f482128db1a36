#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataSchema

/// What `strata test` is asked to do beyond the configuration.
public struct MigrationTestOptions: Sendable {
    /// A version without a down script fails the run instead of being reported as a warning.
    public var requireUndo: Bool
    /// Seed files run before the migrations, after the locations' `S__…` files, in this order.
    public var seedFiles: [String]
    /// The server of the scratch databases; nil for the configured database's (SQLite: in memory).
    public var scratchServer: DatabaseURL?

    public init(requireUndo: Bool = false, seedFiles: [String] = [], scratchServer: DatabaseURL? = nil) {
        self.requireUndo = requireUndo
        self.seedFiles = seedFiles
        self.scratchServer = scratchServer
    }
}

/// `strata test`: rehearses every migration on a scratch database before it meets a real one.
///
/// Each versioned migration is applied, undone (its down script must leave the schema as it
/// was before) and applied again (it must give the same schema again); the project's seeds and
/// data checks (`S__…`, `T<version>__…`) run around them. Repeatable migrations run twice (the
/// second run must neither fail nor change the schema). Last, the step-by-step schema must equal
/// a one-shot migrate of everything on a second scratch database (the stairway test). Nothing
/// touches the configured database: PostgreSQL scratch databases are made on its server (or
/// ``MigrationTestOptions/scratchServer``) and dropped afterwards.
///
/// ```swift
/// let report = try MigrationTestRun(configuration: configuration).run()
/// for failure in report.failures { print(failure) }
/// ```
public struct MigrationTestRun {
    /// The project: its locations, database and history table.
    public var configuration: StrataConfiguration
    /// What to do beyond the configuration.
    public var options: MigrationTestOptions
    /// Server notices and warnings of the migrations as they run.
    public var onEvent: (MigrationEvent) -> Void

    public init(configuration: StrataConfiguration, options: MigrationTestOptions = MigrationTestOptions(),
                onEvent: @escaping (MigrationEvent) -> Void = { _ in }) {
        self.configuration = configuration
        self.options = options
        self.onEvent = onEvent
    }

    /// Runs every test; failures are in the report. Throws for what stops the run from
    /// starting: bad migration or test file names, an unreadable seed file, no scratch database.
    public func run() throws -> MigrationTestReport {
        let server = try options.scratchServer ?? configuration.databaseURL()
        let catalog = try configuration.readCatalog()
        let files = try testFiles()
        var report = MigrationTestReport(cases: strayFiles(files, catalog: catalog))
        let outcome = try configuration.withScratch(on: server) { database in
            let run = StepByStepRun(database: database, engine: server, catalog: catalog, files: files,
                                    configuration: configuration, requireUndo: options.requireUndo, onEvent: onEvent)
            let outcome = try run.run()
            report.cases += run.report.cases
            report.warnings += run.report.warnings
            return outcome
        }
        var stairway = MigrationTestCase(kind: .stairway, name: "stairway")
        switch outcome {
        case .finished(let schema): stairway.failures = try self.stairway(server, catalog: catalog, seeds: files.seeds(after: nil), stepped: schema)
        case .stopped(let file): stairway.skipped = "the step-by-step run stopped at \(file)"
        }
        report.cases.append(stairway)
        return report
    }

    /// Compares the step-by-step schema with a one-shot migrate of everything, from the same
    /// start: the seeds that run before the migrations (the later ones are data for checks).
    private func stairway(_ server: DatabaseURL, catalog: Catalog, seeds: [TestFile], stepped: Schema) throws -> [MigrationTestFailure] {
        try configuration.withScratch(on: server) { database in
            let migrator = try configuration.migrator(on: database, at: server, catalog: catalog, onEvent: onEvent)
            try migrator.history.create()
            for seed in seeds { try TestScript.seed(seed, on: database) }
            do {
                try migrator.migrate(MigrateOptions(lockRetry: configuration.lockRetry))
            } catch {
                return [MigrationTestFailure(file: "stairway", step: .stairway, message: "a one-shot migrate of everything fails: \(error)")]
            }
            let oneShot = try configuration.introspect(database)
            let differences: [SchemaDifference]
            do throws(SchemaChangeError) {
                differences = try diff(from: oneShot, to: stepped, flavor: server.flavor).changes.map(\.difference)
            } catch {
                throw SchemaComparisonError(subject: "the stairway test", reason: error)
            }
            guard !differences.isEmpty else { return [] }
            return [MigrationTestFailure(
                file: "stairway", step: .stairway,
                message: "migrating step by step (with undos) gives another schema than a one-shot migrate of everything",
                differences: differences)]
        }
    }

    /// The locations' data checks and seeds, and the `--seed` files (before the migrations).
    private func testFiles() throws -> TestFiles {
        let found = try LocationReader.readTestFiles(locations: configuration.locations)
        let given = try options.seedFiles.map { path in
            do {
                return TestFile(version: nil, description: path, path: path, sql: try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw ConfigurationError("Cannot read the seed file \(path) (\(error)). Pass a readable SQL file to --seed.")
            }
        }
        return found.addingSeeds(inOrder: given)
    }

    /// Data checks and seeds that name a version no migration has: they would never run.
    private func strayFiles(_ files: TestFiles, catalog: Catalog) -> [MigrationTestCase] {
        let versions = Set(catalog.versioned.compactMap(\.version))
        return (files.dataChecks + files.seeds).compactMap { file in
            guard let version = file.version, !versions.contains(version) else { return nil }
            let kind: MigrationTestCase.Kind = files.dataChecks.contains(file) ? .dataCheck : .seed
            let failure = MigrationTestFailure(
                file: file.path, step: kind == .seed ? .seed : .dataCheck,
                message: "no versioned migration has version \(version), so it never runs; name it after the version it follows")
            return MigrationTestCase(kind: kind, name: file.path, failures: [failure])
        }
    }
}
