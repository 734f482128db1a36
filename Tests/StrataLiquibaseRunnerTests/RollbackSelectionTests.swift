import StrataLiquibase
import StrataLiquibaseRunner
import Testing

@Suite struct RollbackSelectionTests {
    func row(_ id: String, date: String, tag: String? = nil, description: String = "sql") -> ChangeLogRow {
        ChangeLogRow(identity: ChangeSetIdentity(id: id, author: "a", path: "c.xml"), dateExecuted: date, checksum: "9:x",
                     description: description, tag: tag)
    }

    @Test func countTagAndDateChooseTheNewestRows() throws {
        let rows = [row("1", date: "2026-01-01 10:00:00"), row("2", date: "2026-01-02 10:00:00", tag: "V1"),
                    row("3", date: "2026-01-03 10:00:00"), row("4", date: "2026-01-04 10:00:00")]
        #expect(try RollbackSelection.rows(rows, for: .count(2)).map(\.identity.id) == ["4", "3"])
        #expect(try RollbackSelection.rows(rows, for: .tag("v1")).map(\.identity.id) == ["4", "3"])
        #expect(try RollbackSelection.rows(rows, for: .date("2026-01-02 12:00:00")).map(\.identity.id) == ["4", "3"])
        #expect(throws: ChangeLogRollbackError.self) { try RollbackSelection.rows(rows, for: .tag("v2")) }
    }

    @Test func changeSetsTheFiltersLeaveOutAreNeitherRolledBackNorCounted() throws {
        let rows = [row("1", date: "2026-01-01 10:00:00", tag: "v1"), row("2", date: "2026-01-02 10:00:00"),
                    row("3", date: "2026-01-03 10:00:00"), row("4", date: "2026-01-04 10:00:00")]
        let leftOut: Set = [rows[3].identity, rows[1].identity]
        #expect(try RollbackSelection.rows(rows, for: .count(1), leavingOut: leftOut).map(\.identity.id) == ["3"])
        #expect(try RollbackSelection.rows(rows, for: .tag("v1"), leavingOut: leftOut).map(\.identity.id) == ["3"])
        #expect(try RollbackSelection.rows(rows, for: .date("2026-01-01 12:00:00"), leavingOut: leftOut).map(\.identity.id) == ["3"])
    }

    @Test func theTagDatabaseChangeSetThatWroteTheTagIsRolledBackToo() throws {
        let rows = [row("1", date: "2026-01-01"), row("2", date: "2026-01-02", tag: "v1", description: "tagDatabase"), row("3", date: "2026-01-03")]
        #expect(try RollbackSelection.rows(rows, for: .tag("v1")).map(\.identity.id) == ["3", "2"])
    }
}

extension RollbackSelectionTests {
    @Test func aDateInAnotherSpellingIsRefusedRatherThanComparedAsText() throws {
        let rows = [row("1", date: "2026-01-01 10:00:00"), row("2", date: "2026-10-02 10:00:00")]
        #expect(try RollbackSelection.rows(rows, for: .date("2026-01-01")).map(\.identity.id) == ["2", "1"])
        for bad in ["yesterday", "2026-1-5", "2026-01-31T12:00:00", "2026-01-31 12:00", "31/01/2026"] {
            let error = #expect(throws: ChangeLogRollbackError.self) { try RollbackSelection.rows(rows, for: .date(bad)) }
            #expect(error?.description.contains("'\(bad)' is not a time") == true)
        }
    }
}
