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
        let widths = Self.widths(header: header, rows: rows)
        var bytes: [UInt8] = []
        bytes.reserveCapacity((rows.count + 1) * (widths.reduce(0, +) + 2 * widths.count + 1))
        Self.append(header, widths: widths, to: &bytes)
        for row in rows {
            bytes.append(UInt8(ascii: "\n"))
            Self.append(row, widths: widths, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Prints the table that `rendered` would make, and a line break, a few kilobytes at a time:
    /// `rows` is gone through twice (to measure the columns, then to print them), so only one
    /// row is in memory at a time, where the whole table of `strata info` is 2.4 MB at 10,000
    /// migrations. A lazy `rows` makes each row's cells again on each pass.
    static func print(header: [String], rows: some Collection<[String]>) {
        write(header: header, rows: rows, chunkSize: 1 << 16, to: Terminal.write)
    }

    /// What `print` writes, handed to `output` in pieces of about `chunkSize` bytes.
    static func write(header: [String], rows: some Collection<[String]>, chunkSize: Int, to output: ([UInt8]) -> Void) {
        let widths = widths(header: header, rows: rows)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunkSize)
        append(header, widths: widths, to: &bytes)
        for row in rows {
            bytes.append(UInt8(ascii: "\n"))
            append(row, widths: widths, to: &bytes)
            if bytes.count >= chunkSize {
                output(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        bytes.append(UInt8(ascii: "\n"))
        output(bytes)
    }

    private static func widths(header: [String], rows: some Collection<[String]>) -> [Int] {
        var widths = header.map(width(of:))
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], width(of: cell)) }
        }
        return widths
    }

    /// One row, each cell but the last padded to its column's width and two spaces.
    private static func append(_ row: [String], widths: [Int], to bytes: inout [UInt8]) {
        for (column, cell) in row.enumerated() {
            bytes.append(contentsOf: cell.utf8)
            guard column < row.count - 1 else { break }
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[column] - width(of: cell) + 2))
        }
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
