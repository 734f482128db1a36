/// Reads a SQLite script token by token, as SQLite's tokenizer (`tokenize.c`) sees it: what is
/// a comment, a string or a quoted identifier decides where a `;` ends a statement. The SQLite
/// driver reuses it (package access) to read constraints out of `CREATE TABLE` text.
package struct SQLiteLexer {
    package struct Token {
        package enum Kind {
            /// A run of identifier characters: a keyword, a name or a number.
            case word
            /// A `'...'` string.
            case string
            /// A `"..."`, `` `...` `` or `[...]` identifier, which is never a keyword.
            case quotedIdentifier
            case semicolon
            /// Any other byte: punctuation, one character of an operator.
            case symbol
        }

        package let kind: Kind
        package let start: Int
        package let end: Int
    }

    package let bytes: [UInt8]
    private var offset = 0
    private var lines = LineCounter()

    package init(_ script: String) {
        bytes = Array(script.utf8)
    }

    /// The next token, or nil at the end of the script.
    /// - Throws: ``ScriptError`` for an unterminated block comment, string or quoted identifier,
    ///   which SQLite would either fail on or, for a comment, silently take to the end of the file.
    package mutating func next() throws(ScriptError) -> Token? {
        try skipWhitespaceAndComments()
        guard offset < bytes.count else { return nil }
        let start = offset
        let kind: Token.Kind
        switch bytes[offset] {
        case .quote, .doubleQuote, .backtick, .openBracket:
            try skipQuoted(from: start)
            kind = bytes[start] == .quote ? .string : .quotedIdentifier
        case .semicolon:
            offset += 1
            kind = .semicolon
        case let byte where byte.isIdentifierContinuation:
            // SQLite's `IdChar`: letters, digits, `_`, `$` and every byte of a non-ASCII character.
            while offset < bytes.count && bytes[offset].isIdentifierContinuation { offset += 1 }
            kind = .word
        default:
            offset += 1
            kind = .symbol
        }
        return Token(kind: kind, start: start, end: offset)
    }

    /// Whether a token is `keyword` (given in upper case), in any case.
    package func isKeyword(_ token: Token, _ keyword: String) -> Bool {
        token.kind == .word && token.end - token.start == keyword.utf8.count
            && zip(bytes[token.start..<token.end], keyword.utf8).allSatisfy { $0 & 0xDF == $1 }
    }

    /// The 1-based line of a byte offset; offsets are asked for in increasing order.
    mutating func line(at target: Int) -> Int {
        lines.line(at: target, in: bytes)
    }

    package func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Whitespace, `--` comments to the end of the line, and `/* */` comments, which do not nest.
    private mutating func skipWhitespaceAndComments() throws(ScriptError) {
        while offset < bytes.count {
            switch bytes[offset] {
            case .space, .tab, .newline, .verticalTab, .formFeed, .carriageReturn:
                offset += 1
            case .dash where byte(at: offset + 1) == .dash:
                while offset < bytes.count && bytes[offset] != .newline { offset += 1 }
            case .slash where byte(at: offset + 1) == .star:
                let start = offset
                offset += 2
                while offset < bytes.count && !(bytes[offset] == .star && byte(at: offset + 1) == .slash) { offset += 1 }
                guard offset < bytes.count else {
                    throw error(at: start, "unterminated block comment: SQLite would take the rest of the file as a comment and run none of it; add its closing `*/`")
                }
                offset += 2
            default:
                return
            }
        }
    }

    /// A string (`'...'`) or quoted identifier (`"..."`, `` `...` ``, `[...]`) from its opening
    /// byte through its closing one; inside all but `[...]`, a doubled closing byte stands for one.
    private mutating func skipQuoted(from start: Int) throws(ScriptError) {
        let opening = bytes[start]
        let closing = opening == .openBracket ? .closeBracket : opening
        offset += 1
        while offset < bytes.count {
            if bytes[offset] == closing {
                offset += 1
                guard opening != .openBracket && byte(at: offset) == closing else { return }
            }
            offset += 1
        }
        let what = opening == .quote ? "string literal" : "quoted identifier"
        let doubling = opening == .openBracket ? "" : " (one inside it is written twice)"
        throw error(at: start, "unterminated \(what): add its closing `\(Character(Unicode.Scalar(closing)))`\(doubling)")
    }

    private func byte(at index: Int) -> UInt8 {
        index < bytes.count ? bytes[index] : 0
    }

    private mutating func error(at index: Int, _ message: String) -> ScriptError {
        let end = bytes[index...].firstIndex(of: .newline) ?? bytes.count
        return ScriptError(line: line(at: index), statement: text(from: index, to: end), message: message, code: nil)
    }

    /// Counts `\n` up to each offset asked for, so each byte is counted once.
    private struct LineCounter {
        private var offset = 0
        private var line = 1

        mutating func line(at target: Int, in bytes: [UInt8]) -> Int {
            while offset < min(target, bytes.count) {
                if bytes[offset] == .newline { line += 1 }
                offset += 1
            }
            return line
        }
    }
}

/// Bytes only SQLite's quoting uses; the others are shared with the PostgreSQL lexer.
private extension UInt8 {
    static let verticalTab: UInt8 = 0x0B
    static let backtick = UInt8(ascii: "`")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
}
