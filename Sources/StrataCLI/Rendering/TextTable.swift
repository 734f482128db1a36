/// Lays out rows as left-aligned columns separated by two spaces.
struct TextTable {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as text, built as UTF-8 bytes: `strata info` renders thousands of cells and
    /// must stay fast.
    var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { Self.width(of: $0[column]) }.max() ?? 0 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(all.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (index, row) in all.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "\n")) }
            for (column, cell) in row.enumerated() {
                bytes.append(contentsOf: cell.utf8)
                guard column < row.count - 1 else { break }
                bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[column] - Self.width(of: cell) + 2))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Columns a cell takes: its Unicode scalars, counted as the UTF-8 bytes that start one.
    private static func width(of cell: String) -> Int {
        cell.utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }
}

extension String {
    /// The string followed by spaces up to `width` columns (counted as Unicode scalars, which is
    /// exact for the text Strata prints and far cheaper than counting grapheme clusters).
    func padded(to width: Int) -> String {
        let missing = width - unicodeScalars.count
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }
}
