import Testing
@testable import Strata

/// What plan lines and history rows keep small at 10,000 migrations must read back unchanged.
@Suite struct PlanMemoryTests {
    @Test(arguments: ["2026-12-01 03:14:53.960", "0001-01-01 00:00:00.000", "9999-12-31 23:59:59.999",
                      "2026-01-01 00:00:00", "", "2026-12-01T03:14:53.960", "2026-12-01 03:14:53.96x", "2026-12-01 03:14:53.123456"])
    func installedOnReadsBackAsItWasRead(_ text: String) {
        #expect(InstalledOn(text).text == text)
        let row = HistoryEntry(installedRank: 1, version: nil, description: "d", type: .sql, script: "s", checksum: nil,
                               installedBy: "u", installedOn: text, executionTime: 0, success: true)
        #expect(row.installedOn == text)
    }

    @Test func aLineReadsItsFactsFromItsRowOrElseItsFile() {
        let one = Build.versioned("1", "one")
        let two = Build.versioned("2", "two")
        let plan = Planner.plan(catalog: Build.catalog(one, two), history: [Build.applied(one, rank: 1, checksum: 7, description: "first")])
        #expect(plan.infos.map(\.description) == ["first", "two"])
        #expect(plan.infos.map(\.script) == [one.script, two.script])
        #expect(plan.infos.map(\.checksum) == [7, two.checksum])
        #expect(plan.infos.map(\.version) == [one.version, two.version])
        #expect(plan.infos.map(\.applied?.installedRank) == [1, nil])
        #expect(plan.infos.map(\.type) == [.sql, .sql])
    }

    @Test func aLineIsAPositionNotACopy() {
        #expect(MemoryLayout<MigrationInfo>.stride <= 24)
    }

    @Test func linesOfTwoPlansAreEqualWhenTheySayTheSame() {
        let one = Build.versioned("1", "one")
        let two = Build.versioned("2", "two")
        let catalog = Build.catalog(one, two)
        let history = [Build.applied(one, rank: 1)]
        #expect(Planner.plan(catalog: catalog, history: history).infos == Planner.plan(catalog: catalog, history: history).infos)
        let changed = [Build.applied(one, rank: 1, checksum: 7)]
        #expect(Planner.plan(catalog: catalog, history: history).infos != Planner.plan(catalog: catalog, history: changed).infos)
        #expect(Planner.plan(catalog: catalog, history: history).infos[1] == Planner.plan(catalog: catalog, history: changed).infos[1])
    }

    @Test func aRowFindsItsFileByVersionOrRepeatableDescription() {
        let one = Build.versioned("1", "one")
        let view = Build.repeatable("a view")
        let undo = Build.undo("1")
        let catalog = Build.catalog(one, view, undo)
        #expect(catalog.file(recordedAs: one.version, type: .sql, description: "x") == one)
        #expect(catalog.file(recordedAs: one.version, type: .undoSQL, description: "x") == undo)
        #expect(catalog.file(recordedAs: nil, type: .sql, description: "a view") == view)
        #expect(catalog.file(recordedAs: MigrationVersion("2"), type: .sql, description: "one") == nil)
        #expect(catalog.file(recordedAs: nil, type: .sql, description: "another view") == nil)
    }

    /// The planner finds each version's rows by sorting positions, not through maps: the row
    /// written last decides, even when the versions were not written in order.
    @Test func theRowOfAVersionWrittenLastDecides() {
        let v1 = Build.versioned("1"), v2 = Build.versioned("2"), v3 = Build.versioned("3")
        let undo = HistoryEntry(installedRank: 4, version: MigrationVersion("2.0"), description: "undo", type: .undoSQL, script: "U2__undo.sql",
                                checksum: 1, installedBy: "t", installedOn: "", executionTime: 1, success: true)
        let history = [Build.applied(v3, rank: 1), Build.applied(v1, rank: 2), Build.applied(v2, rank: 3), undo,
                       Build.marker(.delete, version: "1", rank: 5, description: v1.description),
                       Build.applied(v2, rank: 6), Build.applied(v1, rank: 7)]
        let plan = Planner.plan(catalog: Build.catalog(v1, v2, v3, Build.undo("2")), history: history)
        #expect(plan.infos.map { "\($0.version!)=\($0.state.rawValue)@\($0.applied!.installedRank)" } == ["1=out_of_order@7", "2=out_of_order@6", "3=success@1"])
        #expect(plan.steps.isEmpty && plan.findings.isEmpty && plan.currentVersion?.text == "3")
    }
}
