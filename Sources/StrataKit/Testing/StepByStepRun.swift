import Strata
import StrataSchema

/// The first half of `strata test`, on one scratch database: seeds, then each versioned
/// migration applied, undone and applied again, followed by its seeds and data checks, then the
/// repeatable migrations run twice. A failure that leaves the database somewhere the next
/// step cannot start from stops the run; the cases after it are skipped.
final class StepByStepRun {
    /// Where the run ended: the schema it built, or the file it stopped at.
    enum Outcome {
        case finished(Schema)
        case stopped(String)
    }

    let database: any Database
    let engine: DatabaseURL
    let catalog: Catalog
    let files: TestFiles
    let configuration: StrataConfiguration
    let requireUndo: Bool
    let onEvent: (MigrationEvent) -> Void
    private(set) var report = MigrationTestReport()
    private var stoppedAt: String?

    init(database: any Database, engine: DatabaseURL, catalog: Catalog, files: TestFiles, configuration: StrataConfiguration,
         requireUndo: Bool, onEvent: @escaping (MigrationEvent) -> Void) {
        self.database = database
        self.engine = engine
        self.catalog = catalog
        self.files = files
        self.configuration = configuration
        self.requireUndo = requireUndo
        self.onEvent = onEvent
    }

    func run() throws -> Outcome {
        // Repeatables wait until every version has been through its cycle, as in one migrate.
        let versionsOnly = try Catalog(catalog.versioned + catalog.undos + catalog.callbacks)
        let stepper = try configuration.migrator(on: database, at: engine, catalog: versionsOnly, onEvent: onEvent)
        // The history table first, so that migrations may start from what the seeds create.
        try stepper.history.create()
        report.cases += seed(after: nil)
        for migration in stepper.catalog.versioned {
            try test(migration, with: stepper)
        }
        guard let schema = try testRepeatables(), stoppedAt == nil else { return .stopped(stoppedAt ?? "the repeatable migrations") }
        return .finished(schema)
    }

    private var options: MigrateOptions { MigrateOptions(lockRetry: configuration.lockRetry) }

    private func migrate(_ migrator: Migrator, to version: MigrationVersion) throws {
        var options = options
        options.plan.target = .version(version)
        try migrator.migrate(options)
    }

    /// Apply, undo, apply again, then the version's seeds and data checks: one versioned
    /// migration's cycle. Seeds run after it so that its down script is never blamed for them.
    private func test(_ migration: Migration, with stepper: Migrator) throws {
        let version = migration.version!
        var tested = MigrationTestCase(kind: .migration, name: migration.path)
        var checks: [MigrationTestCase] = []
        defer { report.cases += [tested] + checks }
        guard stoppedAt == nil else {
            checks = seed(after: version) + dataChecks(after: version)
            return skip(&tested)
        }
        tested.failures = try cycle(migration, with: stepper)
        checks = seed(after: version) + dataChecks(after: version)
    }

    private func cycle(_ migration: Migration, with stepper: Migrator) throws -> [MigrationTestFailure] {
        let version = migration.version!
        func failure(_ step: MigrationTestFailure.Step, _ message: String, _ differences: [SchemaDifference] = []) -> MigrationTestFailure {
            MigrationTestFailure(file: migration.path, step: step, message: message, differences: differences)
        }
        let before = try configuration.introspect(database)
        do {
            try migrate(stepper, to: version)
        } catch {
            stoppedAt = migration.path
            return [failure(.apply, "\(error)")]
        }
        let applied = try configuration.introspect(database)
        guard let undo = stepper.catalog.undo(for: version) else {
            let message = "version \(version) has no down script, so `strata undo` cannot take it back"
            if requireUndo { return [failure(.missingUndo, message)] }
            report.warnings.append("\(migration.path): \(message)")
            return []
        }
        do {
            try stepper.undo(.count(1), lockRetry: configuration.lockRetry)
        } catch {
            return [failure(.undo, "\(error)")]
        }
        var failures: [MigrationTestFailure] = []
        let trace = try compare(expected: before, found: try configuration.introspect(database), for: migration.path)
        if !trace.isEmpty {
            failures.append(failure(.undo, "the down script \(undo.path) leaves a trace: the schema differs from the one before version \(version)", trace))
        }
        do {
            try migrate(stepper, to: version)
        } catch {
            stoppedAt = migration.path
            return failures + [failure(.reapply, "applying it again after its down script fails: \(error)")]
        }
        let again = try compare(expected: applied, found: try configuration.introspect(database), for: migration.path)
        if !again.isEmpty {
            failures.append(failure(.reapply, "applying it again after its down script gives another schema than the first time", again))
        }
        return failures
    }

    /// Runs every repeatable migration, then each one again; returns the schema after the first run.
    private func testRepeatables() throws -> Schema? {
        guard stoppedAt == nil else {
            for repeatable in catalog.repeatables {
                var skipped = MigrationTestCase(kind: .repeatable, name: repeatable.path)
                skip(&skipped)
                report.cases.append(skipped)
            }
            return nil
        }
        let first = try configuration.migrator(on: database, at: engine, catalog: catalog, onEvent: onEvent)
        do {
            try first.migrate(options)
        } catch {
            let failed = (error as? MigrationFailedError)?.step.migration.path
            stoppedAt = failed ?? "the repeatable migrations"
            for repeatable in catalog.repeatables {
                var tested = MigrationTestCase(kind: .repeatable, name: repeatable.path)
                if failed == nil || failed == repeatable.path {
                    tested.failures = [MigrationTestFailure(file: repeatable.path, step: .apply, message: "\(error)")]
                } else {
                    skip(&tested)
                }
                report.cases.append(tested)
            }
            return nil
        }
        let schema = try configuration.introspect(database)
        var current = first.catalog
        var expected = schema
        for repeatable in current.repeatables {
            var tested = MigrationTestCase(kind: .repeatable, name: repeatable.path)
            defer { report.cases.append(tested) }
            let next = try Catalog(current.all.map { $0.kind == .repeatable && $0.description == repeatable.description ? try $0.changedForRerun() : $0 })
            do {
                try Migrator(database: database, catalog: next, table: configuration.historyTable, onEvent: onEvent).migrate(options)
            } catch {
                tested.failures.append(MigrationTestFailure(file: repeatable.path, step: .secondRun, message: "running it a second time fails: \(error)"))
                continue
            }
            current = next
            let found = try configuration.introspect(database)
            let differences = try compare(expected: expected, found: found, for: repeatable.path)
            if !differences.isEmpty {
                tested.failures.append(MigrationTestFailure(
                    file: repeatable.path, step: .secondRun, message: "running it a second time changes the schema; make it idempotent",
                    differences: differences))
            }
            expected = found
        }
        return schema
    }

    /// The seeds that follow a version (nil: before the migrations), as passing or failing cases.
    private func seed(after version: MigrationVersion?) -> [MigrationTestCase] {
        files.seeds(after: version).map { file in
            var seeded = MigrationTestCase(kind: .seed, name: file.path)
            guard stoppedAt == nil else {
                skip(&seeded)
                return seeded
            }
            do throws(MigrationTestFailure) {
                try TestScript.seed(file, on: database)
            } catch {
                seeded.failures = [error]
                stoppedAt = file.path
            }
            return seeded
        }
    }

    private func dataChecks(after version: MigrationVersion) -> [MigrationTestCase] {
        files.dataChecks(after: version).map { file in
            var checked = MigrationTestCase(kind: .dataCheck, name: file.path)
            if stoppedAt == nil { checked.failures = TestScript.check(file, on: database, engine: engine) } else { skip(&checked) }
            return checked
        }
    }

    private func skip(_ skipped: inout MigrationTestCase) {
        skipped.skipped = "not run: the run stopped at \(stoppedAt ?? "an earlier failure")"
    }

    private func compare(expected: Schema, found: Schema, for file: String) throws(SchemaComparisonError) -> [SchemaDifference] {
        do throws(SchemaChangeError) {
            return try diff(from: expected, to: found, flavor: engine.flavor).changes.map(\.difference)
        } catch {
            throw SchemaComparisonError(subject: file, reason: error)
        }
    }
}
