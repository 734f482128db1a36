import Testing
@testable import Strata

@Suite struct FlywayChecksumTests {
    @Test(arguments: ["SELECT 1;", "SELECT 1;\n", "SELECT 1;\r\n", "\u{FEFF}SELECT 1;", "\u{FEFF}SELECT 1;\r\n"])
    func lineEndingsAndByteOrderMarkDoNotCount(text: String) {
        #expect(FlywayChecksum.of(text) == 78787420)
    }

    @Test func linesAreJoinedWithoutTheirTerminators() {
        #expect(FlywayChecksum.of("SELECT\n1;") == -713821291)
        #expect(FlywayChecksum.of("abc\ndef efg\nxyz") == 989464445)
        #expect(FlywayChecksum.of("abc\r\ndef efg\nxyz\r\n") == 989464445)
    }

    @Test func emptyTextHasChecksumZero() {
        #expect(FlywayChecksum.of("") == 0)
    }
}
