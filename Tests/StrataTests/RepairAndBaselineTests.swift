import Testing
@testable import Strata

@Suite struct RepairAndBaselineTests {
    @Test func repairFollowsTheFindings() {
        let v1 = Build.versioned("1", "one", sql: "SELECT 1;"), v2 = Build.versioned("2"), v3 = Build.versioned("3")
        let edited = Build.versioned("1", "one renamed", sql: "SELECT 10;")
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2), Build.applied(v3, rank: 3, success: false)]
        let plan = Planner.plan(catalog: Build.catalog(edited, v3), history: history)
        let actions = RepairAction.actions(for: plan)
        #expect(actions == [
            .realign(history[0], checksum: edited.checksum, description: "one renamed"),
            .markDeleted(history[1]),
            .removeFailed(history[2]),
        ])
        #expect(actions[0].description.contains("description \"one\" → \"one renamed\""))
    }

    @Test func aRewrittenMigrationThatMigrateContinuesKeepsItsFailedRow() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        let history = [Build.applied(v1, rank: 1, success: false), Build.applied(v2, rank: 2, success: false)]
        let plan = Planner.plan(catalog: Build.catalog(v1, v2), history: history)
        let actions = RepairAction.actions(for: plan, resumable: [2: 3])
        #expect(actions == [.removeFailed(history[0]), .keepResumable(history[1], stepsDone: 3)])
        #expect(actions[1].description.contains("its first 3 steps are committed, and `strata migrate` continues it"))
    }

    @Test func ignoredMigrationsNeedNoRepair() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2")
        let plan = Planner.plan(catalog: Build.catalog(v1, v2), history: [Build.applied(v2, rank: 1)])
        #expect(RepairAction.actions(for: plan).isEmpty)
    }

    @Test func baselineStartsAnEmptyHistoryOnly() throws {
        let version = MigrationVersion("3")!
        guard case .record(let row) = try BaselineDecision.decide(history: [], version: version) else { Issue.record(); return }
        #expect(row.type == .baseline && row.version == version && row.checksum == nil)

        let marker = Build.marker(.baseline, version: "3", rank: 1)
        #expect(try BaselineDecision.decide(history: [marker], version: version) == .alreadyRecorded(marker))
        #expect(throws: BaselineRefused.self) { try BaselineDecision.decide(history: [marker], version: MigrationVersion("4")!) }
        #expect(throws: BaselineRefused.self) {
            try BaselineDecision.decide(history: [Build.applied(Build.versioned("1"), rank: 1)], version: version)
        }
    }
}
