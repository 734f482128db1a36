import Testing
@testable import StrataCLI

/// The table printed a row at a time is the table rendered whole.
@Suite struct TextTableTests {
    static let header = ["Version", "Description", "State"]
    static let rows = (1...50).map { ["\($0)", String(repeating: "é", count: $0 % 7) + "step \($0)", $0 % 3 == 0 ? "Pending" : "Success"] }

    @Test func writtenInPiecesItIsTheRenderedTable() {
        var table = TextTable("Version", "Description", "State")
        for row in Self.rows { table.add(row) }
        var pieces: [[UInt8]] = []
        TextTable.write(header: Self.header, rows: Self.rows, chunkSize: 100, to: { pieces.append($0) })
        #expect(pieces.count > 5)
        #expect(String(decoding: pieces.joined(), as: UTF8.self) == table.rendered + "\n")
    }

    @Test func aTableWithoutRowsIsItsHeader() {
        var pieces: [[UInt8]] = []
        TextTable.write(header: Self.header, rows: [[String]](), chunkSize: 100, to: { pieces.append($0) })
        #expect(String(decoding: pieces.joined(), as: UTF8.self) == "Version  Description  State\n")
    }
}
