import StrataLiquibase
import StrataLiquibaseRunner
import Testing

@Suite struct ChangeLogPlannerTests {
    let first = ChangeSetIdentity(id: "1", author: "ann", path: "db/changelog.xml")
    let second = ChangeSetIdentity(id: "2", author: "ann", path: "db/changelog.xml")

    func facts(_ identity: ChangeSetIdentity, _ checksum: String = "9:aa", line: Int = 3) -> ChangeSetFacts {
        ChangeSetFacts(identity: identity, location: "db/changelog.xml:\(line)", checksum: checksum)
    }

    @Test func pendingChangeSetsRunAndRanOnesAreSkipped() {
        let plan = ChangeLogPlanner.plan([facts(first), facts(second, "9:bb")], rows: [ChangeLogRow(identity: first, checksum: "9:aa")])
        #expect(plan.changeSets.map(\.decision) == [.skip(.alreadyRan), .run(.executed)])
        #expect(plan.findings.isEmpty && plan.checksumUpgrades.isEmpty)
    }

    @Test func aChangedChecksumIsRefusedNamingTheFileAndLine() {
        let plan = ChangeLogPlanner.plan([facts(first, "9:new", line: 7)], rows: [ChangeLogRow(identity: first, checksum: "9:old")])
        #expect(plan.findings == [.checksumChanged(first, location: "db/changelog.xml:7", stored: "9:old", current: "9:new")])
        #expect(plan.findings[0].description.hasPrefix("db/changelog.xml:7: changeset db/changelog.xml::1::ann was changed"))
    }

    @Test func runOnChangeRerunsAChangedChangeSetAndRunAlwaysRerunsEveryTime() {
        var onChange = facts(first, "9:new")
        onChange.runOnChange = true
        var always = facts(second)
        always.runAlways = true
        let rows = [ChangeLogRow(identity: first, checksum: "9:old"), ChangeLogRow(identity: second, checksum: "9:aa")]
        let plan = ChangeLogPlanner.plan([onChange, always], rows: rows)
        #expect(plan.changeSets.map(\.decision) == [.run(.reran), .run(.reran)])
        #expect(plan.findings.isEmpty)
        onChange.checksum = "9:old"
        #expect(ChangeLogPlanner.plan([onChange], rows: rows).changeSets.map(\.decision) == [.skip(.alreadyRan)])
    }

    @Test func runAlwaysWithAChangedChecksumIsStillRefused() {
        var always = facts(first, "9:new")
        always.runAlways = true
        #expect(ChangeLogPlanner.plan([always], rows: [ChangeLogRow(identity: first, checksum: "9:old")]).findings.count == 1)
    }

    @Test func validCheckSumAcceptsTheListedValueOrAny() {
        var listed = facts(first, "9:new")
        listed.validCheckSums = ["9:old"]
        let rows = [ChangeLogRow(identity: first, checksum: "9:old")]
        #expect(ChangeLogPlanner.plan([listed], rows: rows).findings.isEmpty)
        listed.validCheckSums = ["any"]
        #expect(ChangeLogPlanner.plan([listed], rows: rows).findings.isEmpty)
        listed.validCheckSums = ["9:other"]
        #expect(ChangeLogPlanner.plan([listed], rows: rows).findings.count == 1)
    }

    @Test func aMatchingV8ChecksumIsUpgradedOnlyWhenTheFiltersLetTheChangeSetThrough() {
        var old = facts(first, "9:current")
        old.checksumV8 = "8:legacy"
        let rows = [ChangeLogRow(identity: first, checksum: "8:legacy")]
        let plan = ChangeLogPlanner.plan([old], rows: rows)
        #expect(plan.findings.isEmpty)
        #expect(plan.checksumUpgrades == [ChecksumUpgrade(identity: first, checksum: "9:current")])
        old.filteredOut = "context example-context1"
        #expect(ChangeLogPlanner.plan([old], rows: rows).checksumUpgrades.isEmpty)
        old.filteredOut = nil
        old.checksumV8 = "8:different"
        #expect(ChangeLogPlanner.plan([old], rows: rows).findings.count == 1)
    }

    @Test func aClearedChecksumIsAcceptedAndRefilled() {
        let plan = ChangeLogPlanner.plan([facts(first)], rows: [ChangeLogRow(identity: first, checksum: nil)])
        #expect(plan.findings.isEmpty)
        #expect(plan.checksumUpgrades == [ChecksumUpgrade(identity: first, checksum: "9:aa")])
    }

    @Test func filteredAndIgnoredChangeSetsAreSkippedWithTheirReason() {
        var filtered = facts(first)
        filtered.filteredOut = "context test"
        var ignored = facts(second)
        ignored.ignored = true
        let plan = ChangeLogPlanner.plan([filtered, ignored], rows: [])
        #expect(plan.changeSets.map(\.decision) == [.skip(.filtered("context test")), .skip(.ignored)])
        #expect(plan.steps.isEmpty)
    }

    @Test func customChangesRefuseTheRunUnlessSkippingIsAskedFor() {
        var custom = facts(first)
        custom.customChange = "com.example.Fix"
        let refused = ChangeLogPlanner.plan([custom], rows: [])
        #expect(refused.findings == [.customChange(first, location: "db/changelog.xml:3", className: "com.example.Fix")])
        #expect(refused.findings[0].description.contains("--skip-custom-changes"))
        let skipped = ChangeLogPlanner.plan([custom], rows: [], options: ChangeLogPlanOptions(skipCustomChanges: true))
        #expect(skipped.findings.isEmpty)
        #expect(skipped.changeSets.map(\.decision) == [.record(.markRan)])
    }

    @Test func aCountLimitsTheStepsAndSyncMarksEveryPendingOneRan() {
        let changeSets = [facts(first), facts(second)]
        #expect(ChangeLogPlanner.plan(changeSets, rows: [], options: ChangeLogPlanOptions(count: 1)).changeSets.map(\.decision)
            == [.run(.executed), .skip(.beyondTarget)])
        #expect(ChangeLogPlanner.plan(changeSets, rows: [ChangeLogRow(identity: first, checksum: "9:aa")],
                                      options: ChangeLogPlanOptions(markRanOnly: true)).changeSets.map(\.decision)
            == [.skip(.alreadyRan), .record(.executed)])
    }

    @Test func upToTagStopsAfterTheChangeSetThatWritesTheTagOrWhoseRowCarriesIt() {
        let third = ChangeSetIdentity(id: "3", author: "ann", path: "db/changelog.xml")
        var tagging = facts(second)
        tagging.tag = "v1"
        let options = ChangeLogPlanOptions(upToTag: "v1")
        let plan = ChangeLogPlanner.plan([facts(first), tagging, facts(third)], rows: [], options: options)
        #expect(plan.changeSets.map(\.decision) == [.run(.executed), .run(.executed), .skip(.beyondTarget)])
        #expect(plan.findings.isEmpty)
        // A tag the `tag` command gave to a row counts as well.
        let rows = [ChangeLogRow(identity: first, checksum: "9:aa", tag: "v1")]
        #expect(ChangeLogPlanner.plan([facts(first), facts(second), facts(third)], rows: rows, options: options).changeSets.map(\.decision)
            == [.skip(.alreadyRan), .skip(.beyondTarget), .skip(.beyondTarget)])
        let unknown = ChangeLogPlanner.plan([facts(first)], rows: [], options: ChangeLogPlanOptions(upToTag: "v9"))
        #expect(unknown.findings == [.unknownTag("v9")])
        #expect(unknown.findings[0].description.hasPrefix("No changeset writes the tag 'v9' (tagDatabase) and no DATABASECHANGELOG row carries it"))
    }

    @Test func rowsOfNoChangeSetAreReported() {
        let stray = ChangeLogRow(identity: ChangeSetIdentity(id: "9", author: "bob", path: "other.xml"), checksum: "9:cc")
        #expect(ChangeLogPlanner.plan([facts(first)], rows: [stray]).unknownRows == [stray])
    }
}
