@testable import Strata
import Testing

/// `strata.sum`'s digest, format and comparisons.
@Suite struct MigrationSumTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(Base64.encode(SHA256.digest(Array("abc".utf8))) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        #expect(Base64.encode(SHA256.digest([UInt8]())) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.digest(long).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

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
