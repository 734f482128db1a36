import Testing
@testable import Strata

@Suite struct MigrationVersionTests {
    private func v(_ text: String) -> MigrationVersion { MigrationVersion(text)! }

    @Test(arguments: [("1.10", "1.9"), ("1.9", "1.2"), ("2", "1.999"), ("1.0.1", "1"), ("10", "9"),
                      ("99999999999999999999999999.1", "99999999999999999999999998.2"), ("2024.05.01", "2024.4.30")])
    func partsCompareAsIntegers(larger: String, smaller: String) {
        #expect(v(larger) > v(smaller))
        #expect(v(smaller) < v(larger))
    }

    @Test(arguments: [("007", "7"), ("1", "1.0"), ("1.1", "1.1.0.0"), ("0.0", "0"), ("1_1", "1.1"), ("001.0", "1")])
    func equalVersions(a: String, b: String) {
        #expect(v(a) == v(b))
        #expect(v(a).hashValue == v(b).hashValue)
    }

    @Test(arguments: ["", ".", ".1", "1.", "1..1", "abc1.0", "1.2.1-3", "1.2.1a-3", "x", "1 2", "_1", "1__2"])
    func rejectsMalformedVersions(text: String) {
        #expect(MigrationVersion(text) == nil)
    }

    @Test func keepsTheDigitsAsWrittenWithUnderscoresAsDots() {
        #expect(v("1_1").text == "1.1")
        #expect(v("009_4").text == "009.4")
        #expect(v("2_0").text == "2.0")
    }

    @Test(arguments: [("1", "2"), ("2.5", "3"), ("9", "10"), ("199", "200"), ("20240101", "20240102"), ("007", "008")])
    func nextMajorVersion(current: String, next: String) {
        #expect(v(current).nextMajor == next)
    }
}
