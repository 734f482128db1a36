import ArgumentParser
import Strata

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations, each in one transaction with its history row.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var fleet: FleetOptions

    @Option(name: .long, help: ArgumentHelp(
        "How far to migrate: a version, latest (the default), current, next or +N (the next N versions).", valueName: "target"))
    var target: MigrationTarget?

    @Flag(name: .long, help: "Apply pending versions older than the newest applied one instead of ignoring them.")
    var outOfOrder = false

    @Flag(name: .long, help: "On a database with objects but no history table, record a baseline at version 1 first.")
    var baselineOnMigrate = false

    @Flag(name: .long, help: "Apply contract migrations (`-- strata:phase=contract`) too, after the application version that no longer needs what they remove is deployed.")
    var contract = false

    @Flag(name: .long, help: "Print the SQL that would run, in order, with transaction boundaries and history statements; change nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("With --changelog: stop after the changeset that writes this tag (Liquibase's update-to-tag).", valueName: "tag"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL: how long a statement may wait for a lock before its migration is rolled back and retried (default: 200).", valueName: "ms"))
    var lockTimeout: Int?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL: the lock timeout grows up to this after repeated failures (default: the lock timeout; it never grows).", valueName: "ms"))
    var lockTimeoutMax: Int?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL: how long a retry waits for the transactions that blocked the migration to end (default: 60).", valueName: "seconds"))
    var blockerWait: Double?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL: how many times a migration that timed out on a lock is retried (default: 20).", valueName: "count"))
    var lockRetries: Int?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL: the longest a migration's statement may run (default: no limit).", valueName: "ms"))
    var statementTimeout: Int?

    func run() throws {
        if try fleet.ranOnTargets(configPath: global.source.config, json: output.json) { return }
        var plan = PlanOptions(outOfOrder: outOfOrder, contract: contract)
        if let target { plan.target = target }
        var lockFlags: [String: TOMLDocument.Value] = [:]
        for (key, value) in [("lock_timeout", lockTimeout), ("lock_timeout_max", lockTimeoutMax), ("lock_retries", lockRetries),
                             ("statement_timeout", statementTimeout)] {
            if let value { lockFlags[key] = .integer(value) }
        }
        if let blockerWait { lockFlags["blocker_wait"] = .float(blockerWait) }
        let session = try Session(global, extra: lockFlags)
        for (given, flag, instead) in [
            (outOfOrder, "--out-of-order", "a changelog's update already runs every pending changeset, wherever it sits in the file"),
            (contract, "--contract", "a changelog has no contract phase: choose changesets with --contexts or --labels"),
            (baselineOnMigrate, "--baseline-on-migrate", "`strata changelog-sync` records the changesets as run without running them"),
        ] where given {
            try ChangelogRun.refuse(session, "strata migrate \(flag)", instead: instead)
        }
        if let changelog = try ChangelogRun.open(session, json: output.json, create: !dryRun) {
            let count = try ChangelogRun.updateCount(for: target)
            return try dryRun ? PreviewJSON.print(changelog.runner.updateSQL(count: count, upToTag: tag), json: output.json) : changelog.migrate(count: count, upToTag: tag)
        }
        guard tag == nil else { throw ConfigurationError("--tag stops a Liquibase changelog's update at a tag: add --changelog FILE. Migration folders stop at a version with --target V.") }
        let retry = session.configuration.lockRetry
        if dryRun {
            try PreviewJSON.print(try session.migrator(create: false).previewMigrate(
                MigrateOptions(plan: plan, baselineOnMigrate: baselineOnMigrate, lockRetry: retry, backfill: session.configuration.backfill)), json: output.json)
            return
        }
        let printer = MigrationPrinter(quiet: output.json)
        // One migrator for the lint and the run: the catalog is read once, one connection is
        // opened. On PostgreSQL the configured schemas are created only once the lint lets the run go.
        let onPostgres = if case .postgres = try session.configuration.databaseURL() { true } else { false }
        let migrator = try session.migrator(create: !onPostgres, onEvent: printer.handle)
        let lint = try MigrateLint(session: session, migrator: migrator, plan: plan)
        // With `--log-format json` the findings are `lint_finding` events on standard error instead.
        if !output.json && RunObserver.current?.jsonLog != true { lint.printFindings() }
        RunObserver.current?.lintFindings(lint.findings)
        if let refusal = lint.refusal {
            if output.json { try JSONOutput.print(MigrateJSON(applied: [], error: refusal, lint: lint.findings)) }
            throw refusal
        }
        try session.configuration.createMissingSchemas(in: migrator.database)
        if !output.json {
            Terminal.print("Migrating \(session.display) (history table \(migrator.history.name))")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let report: MigrateReport
        do {
            report = try migrator.migrate(MigrateOptions(plan: plan, baselineOnMigrate: baselineOnMigrate, lockRetry: retry, backfill: session.configuration.backfill))
        } catch let error as MigrationFailedError {
            if output.json { try JSONOutput.print(MigrateJSON(applied: printer.applied, error: error, lint: lint.findings)) }
            throw error
        }
        if output.json {
            try JSONOutput.print(MigrateJSON(report, lint: lint.findings))
        } else {
            Terminal.print(MigrationPrinter.summary(report, milliseconds: Int((clock.now - start) / .milliseconds(1))))
        }
    }
}
