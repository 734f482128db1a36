import Testing
@testable import Strata

@Suite struct ContractPhaseTests {
    private let contract = "-- strata:phase=contract\nALTER TABLE t DROP COLUMN old;\n"

    private func versions(_ steps: [PlannedStep]) -> [String] { steps.compactMap(\.migration.version?.text) }

    @Test func thePhaseComesFromTheHeaderAndDefaultsToExpand() throws {
        #expect(Build.versioned("1").phase == .expand)
        #expect(Build.versioned("2", sql: contract).phase == .contract)
        #expect(Build.versioned("3", sql: "-- strata:phase=expand\nSELECT 1;").phase == .expand)
        #expect(throws: ScriptDirectiveError.self) { try ScriptDirectives.parse("-- strata:phase=later\nSELECT 1;") }
    }

    @Test func migrateStopsBeforeTheFirstContractMigration() {
        let catalog = Build.catalog(Build.versioned("1"), Build.versioned("2", sql: contract), Build.versioned("3"), Build.repeatable("view"))
        let plan = Planner.plan(catalog: catalog, history: [])
        #expect(versions(plan.steps) == ["1"])
        #expect(plan.steps.map(\.migration.description).contains("view"))
        #expect(plan.awaitingContract.compactMap(\.version?.text) == ["2", "3"])
        #expect(plan.infos.map(\.state) == [.pending, .awaitingContract, .pending, .pending])
        #expect(plan.findings.isEmpty)
    }

    @Test func contractAppliesEverythingInOrder() {
        let catalog = Build.catalog(Build.versioned("1"), Build.versioned("2", sql: contract), Build.versioned("3"))
        let plan = Planner.plan(catalog: catalog, history: [], options: PlanOptions(contract: true))
        #expect(versions(plan.steps) == ["1", "2", "3"])
        #expect(plan.awaitingContract.isEmpty)
        #expect(plan.infos.allSatisfy { $0.state == .pending })
    }

    @Test func aContractMigrationWaitsForAnEarlierPendingExpandOne() {
        let one = Build.versioned("1"), two = Build.versioned("2"), later = Build.versioned("2.5"), three = Build.versioned("3", sql: contract)
        // 2 is pending but older than the applied 2.5: ignored, so it would not run before 3.
        let catalog = Build.catalog(one, two, later, three, Build.versioned("4"))
        let history = [Build.applied(one, rank: 1), Build.applied(later, rank: 2)]
        let plan = Planner.plan(catalog: catalog, history: history, options: PlanOptions(contract: true))
        #expect(plan.blockingFindings == [.contractBeforePendingExpand(contract: three, expand: two)])
        #expect(plan.blockingFindings.first?.description.contains("cannot run while the expand migration") == true)
        let outOfOrder = Planner.plan(catalog: catalog, history: history, options: PlanOptions(outOfOrder: true, contract: true))
        #expect(versions(outOfOrder.steps) == ["2", "3", "4"])
        #expect(outOfOrder.blockingFindings.isEmpty)
    }

    @Test func aTargetBeforeTheContractMigrationNeedsNoFlag() {
        let catalog = Build.catalog(Build.versioned("1"), Build.versioned("2"), Build.versioned("3", sql: contract))
        let plan = Planner.plan(catalog: catalog, history: [], options: PlanOptions(target: .version(MigrationVersion("2")!)))
        #expect(versions(plan.steps) == ["1", "2"])
    }
}
