@testable import Strata
import Testing

/// `strata.sum`'s digest, format and comparisons.
@Suite struct MigrationSumTests {
    @Test func theTextRoundTripsAndOrdersFilesByPath() throws {
        let sum = MigrationSum(files: [("V2__b.sql", Array("two".utf8)), ("V1__a.sql", Array("one".utf8))])
        #expect(sum.entries.map(\.path) == ["V1__a.sql", "V2__b.sql"])
        let (parsed, stated) = try MigrationSum.parse(sum.text, path: "m/strata.sum")
        #expect(parsed == sum && stated == sum.folderHash)
    }

    @Test func everyDifferenceIsNamedWithWhatToDo() throws {
        let written = MigrationSum(files: [("V1__a.sql", Array("one".utf8)), ("V2__b.sql", Array("two".utf8))])
        let now = MigrationSum(files: [("V1__a.sql", Array("one!".utf8)), ("V3__c.sql", Array("three".utf8))])
        let problems = written.problems(comparedWith: now, statedFolderHash: written.folderHash, sumPath: "m/strata.sum", folder: "m")
        #expect(problems.map(\.path) == ["m/V1__a.sql", "m/V2__b.sql", "m/V3__c.sql"])
        #expect(problems[0].message.hasPrefix("changed since strata.sum was written"))
        #expect(problems[1].message.hasPrefix("is listed in strata.sum but is gone"))
        #expect(problems[2].message.hasPrefix("is not in strata.sum; run `strata hash`"))
        let tampered = written.problems(comparedWith: written, statedFolderHash: "h1:other", sumPath: "m/strata.sum", folder: "m")
        #expect(tampered.map(\.path) == ["m/strata.sum"])
    }

    @Test func aMergeConflictMarkerIsAnErrorNamingItsLine() {
        let text = "h1:abc\nV1__a.sql h1:x\n<<<<<<< HEAD\nV2__b.sql h1:y\n"
        #expect {
            try MigrationSum.parse(text, path: "m/strata.sum")
        } throws: { error in
            "\(error)".contains("m/strata.sum: line 3 is not `<file> h1:<hash>`")
        }
    }
}
