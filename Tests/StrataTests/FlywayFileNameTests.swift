import Testing
@testable import Strata

@Suite struct FlywayFileNameTests {
    @Test func versionedMigration() throws {
        let name = try #require(migration("V1_2__Add_user_table.sql"))
        #expect(name.kind == .versioned)
        #expect(name.version?.text == "1.2")
        #expect(name.description == "Add user table")
    }

    @Test func otherKinds() throws {
        #expect(try #require(migration("B5__Snapshot.sql")).kind == .baseline)
        #expect(try #require(migration("U3__Drop_it.sql")).kind == .undo)
        let repeatable = try #require(migration("R__Refresh_views.sql"))
        #expect(repeatable.kind == .repeatable)
        #expect(repeatable.version == nil)
        #expect(repeatable.description == "Refresh views")
    }

    @Test(arguments: ["V2_x.sql", "V1.__x.sql", "Vx__y.sql", "V__x.sql", "R1__x.sql", "R__.sql", "B__x.sql", "U1_x.sql", "V1-x.sql", "R_view.sql"])
    func malformedNamesAreErrors(fileName: String) {
        guard case .malformed = FlywayFileName.classify(fileName) else {
            Issue.record("\(fileName) should be malformed, got \(FlywayFileName.classify(fileName))")
            return
        }
    }

    @Test(arguments: ["README.md", "Views.sql", "README.sql", "beforeMigrate.sql", "notes.txt", "V1__x.txt", "v1__lower.sql", "helper.sql"])
    func unrelatedFilesAreIgnored(fileName: String) {
        #expect(FlywayFileName.classify(fileName) == .unrelated)
    }

    @Test func malformedReasonSaysWhatIsWrong() {
        guard case .malformed(let reason) = FlywayFileName.classify("V2_x.sql") else { Issue.record(); return }
        #expect(reason.contains("`__`"))
    }

    private func migration(_ fileName: String) -> FlywayFileName? {
        if case .migration(let name) = FlywayFileName.classify(fileName) { return name }
        return nil
    }
}
