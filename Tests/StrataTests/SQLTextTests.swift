import Testing
@testable import Strata

@Suite struct SQLTextTests {
    @Test(arguments: [
        ("  CREATE TABLE t (a int);\r\n", "CREATE TABLE t (a int);"),
        ("\t\u{0B}\u{0C}-- note\n", "-- note"),
        (" \n\r\n ", ""),
        ("", ""),
        ("\u{A0}é -- no-break space and an accent\u{2003}", "é -- no-break space and an accent"),
        ("e\u{301} ", "e\u{301}"),
    ])
    func trimmedDropsWhitespace(text: String, expected: String) {
        #expect(SQLText.trimmed(text) == expected)
    }

    /// A combining mark after a space joins it into one Character: the byte path must not cut it.
    @Test(arguments: [" \u{301}x ", "x \u{301}", "x\u{301} ", "\u{85}x\u{85}", " x\u{200D} "])
    func trimmedAgreesWithCharacterWhitespace(text: String) {
        #expect(SQLText.trimmed(text) == String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()))
    }

    @Test func linesSplitAtLineFeedsOnly() {
        #expect(SQLText.lines(of: "a\r\nb\n\nc é\n"[...]).map(String.init) == ["a\r", "b", "", "c é", ""])
        #expect(SQLText.lines(of: ""[...]).map(String.init) == [""])
    }
}
