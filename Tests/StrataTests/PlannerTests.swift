import Testing
@testable import Strata

/// Builders that keep the planner tests readable.
enum Build {
    static func versioned(_ version: String, _ description: String = "", sql: String? = nil) -> Migration {
        let text = sql ?? "-- \(version)"
        let name = description.isEmpty ? "step \(version)" : description
        return Migration(kind: .versioned, version: version, description: name, script: "V\(version)__\(name).sql", sql: text)
    }

    static func baseline(_ version: String) -> Migration {
        Migration(kind: .baseline, version: version, description: "snapshot \(version)", script: "B\(version)__snapshot.sql", sql: "-- B\(version)")
    }

    static func undo(_ version: String) -> Migration {
        Migration(kind: .undo, version: version, description: "undo \(version)", script: "U\(version)__undo.sql", sql: "-- U\(version)")
    }

    static func repeatable(_ description: String, sql: String = "-- view") -> Migration {
        Migration(kind: .repeatable, version: nil, description: description, script: "R__\(description).sql", sql: sql)
    }

    /// A history row for a migration as it was applied.
    static func applied(_ migration: Migration, rank: Int, success: Bool = true, type: HistoryType? = nil, checksum: Int32? = nil, description: String? = nil) -> HistoryEntry {
        HistoryEntry(
            installedRank: rank, version: migration.version, description: description ?? migration.description,
            type: type ?? (migration.kind == .baseline ? .sqlBaseline : .sql), script: migration.script,
            checksum: checksum ?? migration.checksum, installedBy: "test", installedOn: "2026-01-01 00:00:00",
            executionTime: 1, success: success)
    }

    static func marker(_ type: HistoryType, version: String?, rank: Int, description: String = "<< Strata Baseline >>") -> HistoryEntry {
        HistoryEntry(
            installedRank: rank, version: version.flatMap(MigrationVersion.init), description: description, type: type,
            script: description, checksum: nil, installedBy: "test", installedOn: "2026-01-01 00:00:00",
            executionTime: 0, success: true)
    }

    static func catalog(_ migrations: Migration...) -> Catalog {
        try! Catalog(migrations)
    }
}

@Suite struct PlannerTests {
    private func states(_ plan: Plan) -> [String] {
        plan.infos.map { "\($0.version?.text ?? "R:\($0.description)")=\($0.state.rawValue)" }
    }

    private func stepVersions(_ plan: Plan) -> [String] {
        plan.steps.map { $0.migration.version?.text ?? "R:\($0.migration.description)" }
    }

    @Test func emptyDatabasePlansEverythingInOrder() {
        let catalog = Build.catalog(Build.versioned("2"), Build.versioned("1.10"), Build.versioned("1.9"), Build.repeatable("b"), Build.repeatable("a"))
        let plan = Planner.plan(catalog: catalog, history: [])
        #expect(stepVersions(plan) == ["1.9", "1.10", "2", "R:a", "R:b"])
        #expect(plan.infos.allSatisfy { $0.state == .pending })
        #expect(plan.findings.isEmpty)
        #expect(plan.currentVersion == nil)
    }

    @Test func appliedMigrationsSucceedAndOnlyNewOnesArePending() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        let plan = Planner.plan(catalog: Build.catalog(v1, v2), history: [Build.applied(v1, rank: 1)])
        #expect(states(plan) == ["1=success", "2=pending"])
        #expect(stepVersions(plan) == ["2"])
        #expect(plan.currentVersion?.text == "1")
    }

    @Test func targetLimitsTheVersionedStepsButNotTheRepeatables() {
        let catalog = Build.catalog(Build.versioned("1"), Build.versioned("1.1"), Build.versioned("2"), Build.repeatable("v"))
        let plan = Planner.plan(catalog: catalog, history: [], options: PlanOptions(target: .version(MigrationVersion("1.1")!)))
        #expect(stepVersions(plan) == ["1", "1.1", "R:v"])
    }

    @Test func relativeTargets() {
        let v1 = Build.versioned("1"), catalog = Build.catalog(v1, Build.versioned("2"), Build.versioned("3"), Build.versioned("4"), Build.repeatable("v"))
        let history = [Build.applied(v1, rank: 1)]
        func steps(_ target: String) -> [String] {
            stepVersions(Planner.plan(catalog: catalog, history: history, options: PlanOptions(target: MigrationTarget(target)!)))
        }
        #expect(steps("next") == ["2", "R:v"])
        #expect(steps("+2") == ["2", "3", "R:v"])
        #expect(steps("+9") == ["2", "3", "4", "R:v"])
        #expect(steps("current") == ["R:v"])
        #expect(steps("latest") == ["2", "3", "4", "R:v"])
        #expect(stepVersions(Planner.plan(catalog: catalog, history: [], options: PlanOptions(target: .current))) == ["R:v"])
    }

    @Test(arguments: ["", "-1", "+0", "+x", "previous", "1.x"])
    func badTargets(text: String) {
        #expect(MigrationTarget(text) == nil)
    }

    @Test func olderPendingVersionIsIgnoredUnlessOutOfOrderIsAllowed() {
        let v1 = Build.versioned("1"), late = Build.versioned("1.1.1"), v2 = Build.versioned("2")
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)]
        let strict = Planner.plan(catalog: Build.catalog(v1, late, v2), history: history)
        #expect(states(strict) == ["1=success", "1.1.1=ignored", "2=success"])
        #expect(strict.steps.isEmpty)
        #expect(strict.findings == [.ignored(late, newestApplied: MigrationVersion("2")!)])
        #expect(strict.blockingFindings.isEmpty)

        let relaxed = Planner.plan(catalog: Build.catalog(v1, late, v2), history: history, options: PlanOptions(outOfOrder: true))
        #expect(stepVersions(relaxed) == ["1.1.1"])
        #expect(relaxed.steps.first?.reason == .outOfOrder)
        #expect(relaxed.findings.isEmpty)
    }

    @Test func migrationAppliedAfterANewerOneIsOutOfOrder() {
        let v1 = Build.versioned("1"), late = Build.versioned("1.5"), v2 = Build.versioned("2")
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2), Build.applied(late, rank: 3)]
        let plan = Planner.plan(catalog: Build.catalog(v1, late, v2), history: history)
        #expect(states(plan) == ["1=success", "1.5=out_of_order", "2=success"])
        #expect(plan.currentVersion?.text == "2")
    }

    @Test func changedFileIsAChecksumFindingAndRenamedFileADescriptionFinding() {
        let original = Build.versioned("1", "create users", sql: "CREATE TABLE users (id INT);")
        let edited = Build.versioned("1", "create users", sql: "CREATE TABLE users (id BIGINT);")
        let plan = Planner.plan(catalog: Build.catalog(edited), history: [Build.applied(original, rank: 1)])
        #expect(plan.findings == [.checksumChanged(applied: Build.applied(original, rank: 1), file: edited)])
        #expect(plan.findings.first?.description.contains("checksum \(original.checksum!) in the history, \(edited.checksum!) now") == true)

        let renamed = Planner.plan(catalog: Build.catalog(original), history: [Build.applied(original, rank: 1, description: "old name")])
        guard case .descriptionChanged(let entry, let file)? = renamed.findings.first else { Issue.record(); return }
        #expect(entry.description == "old name" && file.description == "create users")
    }

    @Test func appliedWithoutFileIsMissingBelowTheNewestFileAndFutureAbove() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2"), v3 = Build.versioned("3")
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2), Build.applied(v3, rank: 3)]
        let plan = Planner.plan(catalog: Build.catalog(v1, v3), history: Array(history.prefix(2)) + [history[2]])
        #expect(states(plan) == ["1=success", "2=missing", "3=success"])
        #expect(plan.findings == [.missing(history[1])])

        let future = Planner.plan(catalog: Build.catalog(v1), history: history)
        #expect(states(future) == ["1=success", "2=future", "3=future"])
        #expect(future.findings.isEmpty)
    }

    @Test func failedRowIsAFindingThatBlocksMigrate() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        let failed = Build.applied(v2, rank: 2, success: false)
        let plan = Planner.plan(catalog: Build.catalog(v1, v2), history: [Build.applied(v1, rank: 1), failed])
        #expect(states(plan) == ["1=success", "2=failed"])
        #expect(plan.blockingFindings == [.failed(failed)])
        #expect(plan.currentVersion?.text == "1")
    }

    @Test func baselineMarkerCoversOlderVersions() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2"), v3 = Build.versioned("3")
        let plan = Planner.plan(catalog: Build.catalog(v1, v2, v3), history: [Build.marker(.baseline, version: "2", rank: 1)])
        #expect(states(plan) == ["1=below_baseline", "2=baseline", "2=below_baseline", "3=pending"])
        #expect(stepVersions(plan) == ["3"])
        #expect(plan.findings.isEmpty)
    }

    @Test func emptyDatabaseStartsFromTheNewestBaselineMigrationWithinTheTarget() {
        let catalog = Build.catalog(Build.versioned("1"), Build.versioned("2"), Build.versioned("3"), Build.versioned("4"),
                                    Build.baseline("2"), Build.baseline("3"))
        let plan = Planner.plan(catalog: catalog, history: [])
        #expect(stepVersions(plan) == ["3", "4"])
        #expect(plan.steps.map(\.type) == [.sqlBaseline, .sql])
        #expect(states(plan) == ["1=below_baseline", "2=below_baseline", "3=pending", "3=below_baseline", "4=pending"])

        let limited = Planner.plan(catalog: catalog, history: [], options: PlanOptions(target: .version(MigrationVersion("2")!)))
        #expect(stepVersions(limited) == ["2"])
    }

    /// The steps are one list: the baseline migration, then at most N versions for `+N`, then
    /// the repeatables (assembled in place, without the copies that joined them).
    @Test func aBaselineMigrationLeadsTheLimitedVersionsAndTheRepeatablesFollow() {
        let catalog = Build.catalog(Build.versioned("1"), Build.versioned("2"), Build.versioned("3"), Build.versioned("4"),
                                    Build.versioned("5"), Build.baseline("2"), Build.repeatable("b"), Build.repeatable("a"))
        #expect(stepVersions(Planner.plan(catalog: catalog, history: [])) == ["2", "3", "4", "5", "R:a", "R:b"])
        let limited = Planner.plan(catalog: catalog, history: [], options: PlanOptions(target: .next(count: 2)))
        #expect(stepVersions(limited) == ["2", "3", "R:a", "R:b"])
        #expect(limited.steps.map(\.type) == [.sqlBaseline, .sql, .sql, .sql])
    }

    @Test func baselineMigrationsAreNotUsedOnceTheDatabaseHasHistory() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2"), b2 = Build.baseline("2")
        let plan = Planner.plan(catalog: Build.catalog(v1, v2, b2), history: [Build.applied(v1, rank: 1)])
        #expect(stepVersions(plan) == ["2"])
        #expect(plan.steps.first?.type == .sql)
    }

    @Test func appliedBaselineMigrationIsTheBaseline() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2"), v3 = Build.versioned("3"), b2 = Build.baseline("2")
        let plan = Planner.plan(catalog: Build.catalog(v1, v2, v3, b2), history: [Build.applied(b2, rank: 1)])
        #expect(states(plan) == ["1=below_baseline", "2=baseline", "2=below_baseline", "3=pending"])
        #expect(stepVersions(plan) == ["3"])
    }

    @Test func repeatableRunsAgainWhenItsChecksumChanges() {
        let old = Build.repeatable("view", sql: "CREATE VIEW v AS SELECT 1;")
        let new = Build.repeatable("view", sql: "CREATE VIEW v AS SELECT 2;")
        let unchanged = Planner.plan(catalog: Build.catalog(old), history: [Build.applied(old, rank: 1)])
        #expect(states(unchanged) == ["R:view=success"])
        #expect(unchanged.steps.isEmpty)

        let changed = Planner.plan(catalog: Build.catalog(new), history: [Build.applied(old, rank: 1)])
        #expect(states(changed) == ["R:view=outdated"])
        #expect(changed.steps.map(\.reason) == [.outdated])
        #expect(changed.findings.isEmpty)

        let rerun = Planner.plan(catalog: Build.catalog(new), history: [Build.applied(old, rank: 1), Build.applied(new, rank: 2)])
        #expect(states(rerun) == ["R:view=superseded", "R:view=success"])
        #expect(rerun.steps.isEmpty)
    }

    @Test func repeatableWithoutFileIsMissing() {
        let view = Build.repeatable("view")
        let plan = Planner.plan(catalog: Build.catalog(), history: [Build.applied(view, rank: 1)])
        #expect(states(plan) == ["R:view=missing"])
        #expect(plan.findings == [.missing(Build.applied(view, rank: 1))])
    }

    @Test func deletedMarkerHidesAMissingMigration() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2),
                       Build.marker(.delete, version: "1", rank: 3, description: v1.description)]
        let plan = Planner.plan(catalog: Build.catalog(v2), history: history)
        #expect(states(plan) == ["1=deleted", "2=success"])
        #expect(plan.findings.isEmpty)
    }

    /// Undone newest first and applied again in order: nothing came after a newer version.
    @Test func versionsAppliedAgainAfterTheirUndoAreNotOutOfOrder() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        func undo(_ version: String, rank: Int) -> HistoryEntry {
            HistoryEntry(installedRank: rank, version: MigrationVersion(version), description: "undo", type: .undoSQL, script: "U\(version)__undo.sql",
                         checksum: 1, installedBy: "t", installedOn: "", executionTime: 1, success: true)
        }
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2), undo("2", rank: 3), undo("1", rank: 4),
                       Build.applied(v1, rank: 5), Build.applied(v2, rank: 6)]
        let plan = Planner.plan(catalog: Build.catalog(v1, v2, Build.undo("1"), Build.undo("2")), history: history)
        #expect(!states(plan).contains { $0.hasSuffix("out_of_order") }, "\(states(plan))")
        // Applied below a version that still stands, it is.
        let late = Build.versioned("1.5")
        let after = Planner.plan(catalog: Build.catalog(v1, late, v2), history: [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2),
                                                                               undo("1", rank: 3), Build.applied(late, rank: 4)])
        #expect(states(after).contains("1.5=out_of_order"), "\(states(after))")
    }

    @Test func undoneMigrationIsPendingAgain() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        let undo = HistoryEntry(installedRank: 3, version: MigrationVersion("2"), description: "undo", type: .undoSQL, script: "U2__undo.sql",
                                checksum: 1, installedBy: "t", installedOn: "", executionTime: 1, success: true)
        let plan = Planner.plan(catalog: Build.catalog(v1, v2, Build.undo("2")), history: [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2), undo])
        #expect(stepVersions(plan) == ["2"])
        #expect(states(plan) == ["1=success", "2=undone", "2=pending"])
        #expect(plan.infos.map(\.undoable) == [false, true, true])
    }
}
