@testable import StrataLint
import Testing

/// The hand-written reader of libpg_query's JSON on escapes libpg_query itself does not write.
@Suite struct ParseTreeJSONTests {
    private func parse(_ text: String) -> ParseNode? {
        text.withCString { ParseTreeJSON.parse($0) }
    }

    @Test func surrogatePairIsOneScalar() {
        #expect(parse(#"["a\ud83d\ude00b"]"#) == .array([.string("a\u{1F600}b")]))
    }

    @Test func highSurrogateWithoutItsLowHalfDoesNotTrap() {
        #expect(parse(#"["x\ud800\u0041"]"#) == .array([.string("x\u{FFFD}A")]))
        #expect(parse(#"["\ud800\n"]"#) == .array([.string("\u{FFFD}\n")]))
        #expect(parse(#"["\ud800"]"#) == .array([.string("\u{FFFD}")]))
    }

    @Test func malformedTextIsNil() {
        #expect(parse(#"["\ud800\u00"]"#) == nil)
        #expect(parse(#"{"a": "#) == nil)
        #expect(parse("[1,]") == nil)
    }
}
