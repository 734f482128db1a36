/// A position in an XML file's UTF-8 bytes that keeps count of lines, so that every error can
/// say where it is. A line ends at `\n`, `\r\n` or a lone `\r`, as XML's line-end rule has it.
struct XMLCursor {
    /// Where something started, to report an error about it (an unclosed comment) there.
    struct Mark {
        var position: Int
        var line: Int
        var lineStart: Int
    }

    let bytes: [UInt8]
    private(set) var position: Int
    private(set) var line = 1
    private var lineStart: Int

    init(bytes: [UInt8], from position: Int) {
        self.bytes = bytes
        self.position = position
        self.lineStart = position
    }

    var isAtEnd: Bool { position >= bytes.count }
    var mark: Mark { Mark(position: position, line: line, lineStart: lineStart) }

    /// The byte `offset` ahead, or nil past the end.
    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    func starts(with literal: [UInt8]) -> Bool {
        guard position + literal.count <= bytes.count else { return false }
        for (offset, byte) in literal.enumerated() where bytes[position + offset] != byte { return false }
        return true
    }

    mutating func advance() {
        let byte = bytes[position]
        position += 1
        if byte == ASCII.newline || (byte == ASCII.carriageReturn && peek() != ASCII.newline) {
            line += 1
            lineStart = position
        }
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count { advance() }
    }

    /// Skips white space (space, tab, line breaks) and says whether there was any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = position
        while let byte = peek(), ASCII.isWhitespace(byte) { advance() }
        return position > start
    }

    /// Advances past the next `literal` and returns the bytes before it, or nil (at the end of
    /// the file) when there is none.
    mutating func skip(past literal: [UInt8]) -> ArraySlice<UInt8>? {
        let start = position
        while !isAtEnd {
            if starts(with: literal) {
                let skipped = bytes[start..<position]
                advance(by: literal.count)
                return skipped
            }
            advance()
        }
        return nil
    }

    /// A name (element, attribute, entity, processing-instruction target), or nil when none
    /// starts here.
    mutating func readName() -> String? {
        guard let first = peek(), XMLCharacters.canStartName(first) else { return nil }
        let start = position
        while let byte = peek(), XMLCharacters.canContinueName(byte) { advance() }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    func error(_ message: String) -> XMLSyntaxError {
        error(message, at: mark)
    }

    func error(_ message: String, at mark: Mark) -> XMLSyntaxError {
        let characters = bytes[mark.lineStart..<min(mark.position, bytes.count)].lazy.filter { $0 & 0xC0 != 0x80 }.count
        return XMLSyntaxError(message: message, line: mark.line, column: characters + 1)
    }

    /// The next character as a reader would see it, for messages: `'<'`, `'é'`, or "the end of the file".
    var nextCharacterDescription: String {
        guard let first = peek() else { return "the end of the file" }
        if ASCII.isWhitespace(first) { return first == ASCII.space || first == ASCII.tab ? "white space" : "a line break" }
        var end = position + 1
        if first >= 0xC0 { while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 } }
        return "'" + String(decoding: bytes[position..<end], as: UTF8.self) + "'"
    }
}

/// The ASCII bytes the reader looks for.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let lowercaseX: UInt8 = 0x78

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == newline || byte == carriageReturn
    }
}
