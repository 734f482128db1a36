import Strata

/// A migration script as the NUL-terminated UTF-8 buffer SQLite's parser walks, with the
/// position of the next statement and the means to turn byte offsets into line numbers.
struct ScriptCursor {
    private let buffer: UnsafeMutablePointer<CChar>
    /// Bytes in the script, without the terminating NUL.
    let count: Int
    private(set) var offset = 0

    init(_ sql: String) {
        let bytes = Array(sql.utf8)
        count = bytes.count
        buffer = .allocate(capacity: count + 1)
        bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { buffer.initialize(from: $0.baseAddress!, count: count) }
        }
        buffer[count] = 0
    }

    func deallocate() {
        buffer.deallocate()
    }

    var isAtEnd: Bool { offset >= count }
    var current: UnsafePointer<CChar> { UnsafePointer(buffer + offset) }
    var remaining: Int { count - offset }

    func offset(of pointer: UnsafePointer<CChar>) -> Int {
        pointer - UnsafePointer(buffer)
    }

    mutating func advance(to newOffset: Int) {
        offset = newOffset
    }

    /// The offset of the next statement's first token: past whitespace, `--` and `/* */`
    /// comments, and the `;` of empty statements, which SQLite's parser skips.
    func firstToken() -> Int {
        var index = offset
        while index < count {
            let byte = byteAt(index)
            if byte == .space || byte == .tab || byte == .newline || byte == .carriageReturn || byte == .formFeed || byte == .semicolon {
                index += 1
            } else if byte == .dash && byteAt(index + 1) == .dash {
                while index < count && byteAt(index) != .newline { index += 1 }
            } else if byte == .slash && byteAt(index + 1) == .star {
                index += 2
                while index < count && !(byteAt(index) == .star && byteAt(index + 1) == .slash) { index += 1 }
                index = min(index + 2, count)
            } else {
                return index
            }
        }
        return count
    }

    /// The 1-based line of a byte offset.
    func line(at target: Int) -> Int {
        var line = 1
        for index in 0..<min(target, count) where byteAt(index) == .newline { line += 1 }
        return line
    }

    /// The text between two offsets (nil: the end).
    func text(from start: Int, upTo end: Int?) -> String {
        let stop = min(end ?? count, count)
        guard start < stop else { return "" }
        let bytes = UnsafeBufferPointer(start: buffer + start, count: stop - start)
        return String(decoding: bytes.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The first line of the statement between two offsets, for messages.
    func firstLine(from start: Int, upTo end: Int?) -> String {
        SQLText.firstLine(of: text(from: start, upTo: end))
    }

    private func byteAt(_ index: Int) -> UInt8 {
        index < count ? UInt8(bitPattern: buffer[index]) : 0
    }
}

private extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let formFeed: UInt8 = 0x0C
    static let dash = UInt8(ascii: "-")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let semicolon = UInt8(ascii: ";")
}
