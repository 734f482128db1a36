extension PostgresScriptSplitter {
    /// One token outside comments and whitespace, by its byte offsets in the script.
    struct Token {
        enum Kind {
            /// An unquoted identifier or keyword.
            case word
            /// A `"..."` or `U&"..."` identifier.
            case quotedIdentifier
            /// A string, dollar-quoted string, number or `$1` parameter.
            case literal
            /// Any other single byte: punctuation, one character of an operator.
            case symbol
        }

        let kind: Kind
        let start: Int
        let end: Int
    }

    /// psql's lexer reduced to what statement boundaries need: it skips whitespace and comments
    /// and returns each token with its extent. A string, quoted identifier or dollar quote is one
    /// token, so nothing inside it is ever taken for a `;`, a keyword or a backslash.
    struct Lexer {
        let bytes: [UInt8]
        private var offset = 0
        private var lines = LineCounter()

        init(_ text: String) {
            bytes = Array(text.utf8)
        }

        mutating func next() throws(PostgresScriptError) -> Token? {
            try skipWhitespaceAndComments()
            guard offset < bytes.count else { return nil }
            let start = offset
            let kind: Token.Kind
            switch bytes[start] {
            case .quote:
                try skipString(escapes: false, from: start)
                kind = .literal
            case .doubleQuote:
                try skipQuotedIdentifier(from: start)
                kind = .quotedIdentifier
            case .dollar:
                kind = try skipDollar()
            case .backslash:
                throw metaCommand()
            case let first where first.isDigit || (first == .dot && byte(at: start + 1).isDigit):
                skipNumber()
                kind = .literal
            case let first where first.isIdentifierStart:
                kind = try skipWord()
            default:
                offset += 1
                kind = .symbol
            }
            return Token(kind: kind, start: start, end: offset)
        }

        func isSymbol(_ token: Token, _ symbol: UInt8) -> Bool {
            token.kind == .symbol && bytes[token.start] == symbol
        }

        mutating func line(at target: Int) -> Int {
            lines.line(at: target, in: bytes)
        }

        /// Skips `{whitespace}` (space, tab, CR, LF, form feed, and `--` comments to the end of the
        /// line) and `/* */` comments, which nest as `{xcstart}` inside `<xc>` makes them.
        private mutating func skipWhitespaceAndComments() throws(PostgresScriptError) {
            while offset < bytes.count {
                switch bytes[offset] {
                case .space, .tab, .newline, .carriageReturn, .formFeed:
                    offset += 1
                case .dash where byte(at: offset + 1) == .dash:
                    offset = endOfLine(from: offset)
                case .slash where byte(at: offset + 1) == .star:
                    try skipBlockComment()
                default:
                    return
                }
            }
        }

        private mutating func skipBlockComment() throws(PostgresScriptError) {
            let start = offset
            var depth = 0
            offset += 2
            while offset < bytes.count {
                if bytes[offset] == .slash && byte(at: offset + 1) == .star {
                    depth += 1
                    offset += 2
                } else if bytes[offset] == .star && byte(at: offset + 1) == .slash {
                    offset += 2
                    if depth == 0 { return }
                    depth -= 1
                } else {
                    offset += 1
                }
            }
            throw error(at: start, "unterminated block comment: add its closing `*/` (block comments nest, so every `/*` inside it needs its own `*/` too)")
        }

        /// A string from its opening `'`: `''` is a quote inside it (`{xqdouble}`), and in an
        /// `E'...'` string a backslash escapes the next byte (`{xeescape}`), so `\'` does not end
        /// it. standard_conforming_strings is on, so other strings have no backslash escapes.
        /// SQL's continuation of a string by another `'` on a later line (`{quotecontinue}`) never
        /// happens in psql, which lexes a line at a time: that `'` starts a new, plain string.
        private mutating func skipString(escapes: Bool, from start: Int) throws(PostgresScriptError) {
            offset += 1
            while offset < bytes.count {
                switch bytes[offset] {
                case .backslash where escapes:
                    offset += 2
                case .quote where byte(at: offset + 1) == .quote:
                    offset += 2
                case .quote:
                    offset += 1
                    return
                default:
                    offset += 1
                }
            }
            let hint = escapes ? " (in an E'...' string, `\\'` is an escaped quote, not the end)" : " (a quote inside it is written `''`)"
            throw error(at: start, "unterminated string literal: add its closing `'`" + hint)
        }

        /// A `"..."` identifier, in which `""` is a quote (`{xddouble}`) and `$` is a character.
        private mutating func skipQuotedIdentifier(from start: Int) throws(PostgresScriptError) {
            offset += 1
            while offset < bytes.count {
                if bytes[offset] == .doubleQuote {
                    offset += 1
                    guard byte(at: offset) == .doubleQuote else { return }
                }
                offset += 1
            }
            throw error(at: start, "unterminated quoted identifier: add its closing `\"` (a quote inside it is written `\"\"`)")
        }

        /// `$` opens a dollar quote when a tag and another `$` follow (`{dolqdelim}`: the tag is
        /// empty or identifier characters other than `$`, not starting with a digit), and only the
        /// same tag closes it. `$1` is a parameter, with any identifier glued to it (`{param}`,
        /// `{param_junk}`); any other `$` stands alone (`{dolqfailed}`).
        private mutating func skipDollar() throws(PostgresScriptError) -> Token.Kind {
            let start = offset
            var tagEnd = start + 1
            if byte(at: tagEnd).isIdentifierStart {
                repeat { tagEnd += 1 } while byte(at: tagEnd).isTagContinuation
            }
            if byte(at: tagEnd) == .dollar {
                let delimiter = bytes[start...tagEnd]
                guard let close = firstIndex(of: delimiter, from: tagEnd + 1) else {
                    let tag = String(decoding: delimiter, as: UTF8.self)
                    throw error(at: start, "unterminated dollar-quoted string: add its closing `\(tag)`")
                }
                offset = close + delimiter.count
                return .literal
            }
            offset += 1
            guard byte(at: offset).isDigit else { return .symbol }
            skipDigits()
            offset = identifierEnd(from: offset)
            return .literal
        }

        private func firstIndex(of delimiter: ArraySlice<UInt8>, from index: Int) -> Int? {
            var candidate = index
            while candidate + delimiter.count <= bytes.count {
                if bytes[candidate] == .dollar && bytes[candidate..<candidate + delimiter.count].elementsEqual(delimiter) {
                    return candidate
                }
                candidate += 1
            }
            return nil
        }

        /// A number, as long as flex's longest match makes it: digits, a `.` and digits (but in
        /// `1..` the number is `1`), then whichever is longer of an identifier glued on (psql 15's
        /// `{integer_junk}`: in `1e'x'` the `e` starts no `E'...'` string, and `1e5$$x` opens no
        /// dollar quote) or an exponent (`{real}`, or `{realfail}` for `1e-`, which takes the sign,
        /// so `1e--x` holds no comment).
        private mutating func skipNumber() {
            skipDigits()
            if byte(at: offset) == .dot && byte(at: offset + 1) != .dot {
                offset += 1
                skipDigits()
            }
            offset = max(identifierEnd(from: offset), exponentEnd(from: offset) ?? offset)
        }

        /// The end of `[Ee][-+]digits` and any identifier glued to it (`{real_junk}`), or of a bare
        /// `[Ee][-+]`; nil when no exponent starts at `index`.
        private func exponentEnd(from index: Int) -> Int? {
            guard byte(at: index) | 0x20 == UInt8(ascii: "e") else { return nil }
            var end = index + 1
            let signed = byte(at: end) == .plus || byte(at: end) == .dash
            if signed { end += 1 }
            guard byte(at: end).isDigit else { return signed ? end : nil }
            while byte(at: end).isDigit { end += 1 }
            return identifierEnd(from: end)
        }

        private mutating func skipDigits() {
            while byte(at: offset).isDigit { offset += 1 }
        }

        /// The end of the `{identifier}` starting at `index` (its first character, then letters,
        /// digits, `_` and `$`), or `index` when none starts there.
        private func identifierEnd(from index: Int) -> Int {
            guard byte(at: index).isIdentifierStart else { return index }
            var end = index + 1
            while byte(at: end).isIdentifierContinuation { end += 1 }
            return end
        }

        /// An identifier or keyword (`{identifier}`: `$` and digits may follow its first
        /// character, so `abc$` and `a$b$` open no dollar quote), or a string or identifier with a
        /// prefix, which flex prefers for being the longer match: `E'`, `B'`, `X'`, `N'`, `U&'`, `U&"`.
        private mutating func skipWord() throws(PostgresScriptError) -> Token.Kind {
            let start = offset
            switch (bytes[start] | 0x20, byte(at: start + 1), byte(at: start + 2)) {
            case (UInt8(ascii: "e"), .quote, _):
                offset += 1
                try skipString(escapes: true, from: start)
                return .literal
            case (UInt8(ascii: "b"), .quote, _), (UInt8(ascii: "x"), .quote, _), (UInt8(ascii: "n"), .quote, _):
                offset += 1
                try skipString(escapes: false, from: start)
                return .literal
            case (UInt8(ascii: "u"), .ampersand, .quote):
                offset += 2
                try skipString(escapes: false, from: start)
                return .literal
            case (UInt8(ascii: "u"), .ampersand, .doubleQuote):
                offset += 2
                try skipQuotedIdentifier(from: start)
                return .quotedIdentifier
            default:
                offset = identifierEnd(from: offset)
                return .word
            }
        }

        /// A backslash outside quotes starts a psql meta-command (`"\\"` returns
        /// `LEXRES_BACKSLASH`), which the server would reject.
        private mutating func metaCommand() -> PostgresScriptError {
            var end = offset + 1
            while byte(at: end).isASCIILetter { end += 1 }
            if end == offset + 1, byte(at: end) > .space, byte(at: end) < 0x80 { end += 1 }
            let command = String(decoding: bytes[offset..<end], as: UTF8.self)
            let advice = switch command {
            case "\\i", "\\ir", "\\include", "\\include_relative":
                "inline the file or split it into migrations"
            case "\\c", "\\connect":
                "a migration runs on the database Strata connects to; give each database its own migrations"
            case "\\restrict", "\\unrestrict":
                "pg_dump writes it to protect psql; delete the line"
            case "\\gexec":
                "write out the statements it would run, or run them with EXECUTE in a DO block"
            default:
                "remove it, or write what it does as SQL"
            }
            return error(at: offset, "psql meta-command `\(command)` is not SQL; Strata sends statements to the server, not to psql: \(advice)")
        }

        /// The data of a `COPY ... FROM STDIN` whose `;` was the last token read. psql sends the
        /// statement, then streams the script's next lines until one that is exactly `\.`. The
        /// rest of the `;`'s line must be blank or a `--` comment: psql would run anything else
        /// only after the data.
        mutating func copyData(ofStatementOnLine line: Int) throws(PostgresScriptError) -> String {
            var index = offset
            while index < bytes.count && bytes[index] != .newline {
                switch bytes[index] {
                case .space, .tab, .carriageReturn, .formFeed:
                    index += 1
                case .dash where byte(at: index + 1) == .dash:
                    index = endOfLine(from: index)
                default:
                    throw error(at: index, "text follows `COPY ... FROM STDIN;` on its line: its data starts on the next line, so put the data there and this text after the data's `\\.` line")
                }
            }
            let dataStart = min(index + 1, bytes.count)
            var lineStart = dataStart
            while lineStart < bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: .newline) ?? bytes.count
                if isEndOfCopyData(bytes[lineStart..<lineEnd]) {
                    offset = min(lineEnd + 1, bytes.count)
                    return String(decoding: bytes[dataStart..<lineStart], as: UTF8.self)
                }
                lineStart = lineEnd + 1
            }
            throw PostgresScriptError(line: line, message: "the data of `COPY ... FROM STDIN` has no end: add a line holding only `\\.` after its last row")
        }

        private func isEndOfCopyData(_ line: ArraySlice<UInt8>) -> Bool {
            let content = line.last == .carriageReturn ? line.dropLast() : line
            return content.elementsEqual([.backslash, .dot])
        }

        /// The offset of the line break that ends a `--` comment (`{non_newline}*`), or the end.
        private func endOfLine(from index: Int) -> Int {
            var end = index
            while end < bytes.count && bytes[end] != .newline && bytes[end] != .carriageReturn { end += 1 }
            return end
        }

        private func byte(at index: Int) -> UInt8 {
            index < bytes.count ? bytes[index] : 0
        }

        private mutating func error(at index: Int, _ message: String) -> PostgresScriptError {
            PostgresScriptError(line: line(at: index), message: message)
        }
    }

    /// Turns byte offsets into 1-based lines, counting `\n` (so `\r\n` is one line break). The
    /// splitter asks in increasing order, so each byte is counted once.
    struct LineCounter {
        private var offset = 0
        private var line = 1

        mutating func line(at target: Int, in bytes: [UInt8]) -> Int {
            if target < offset {
                offset = 0
                line = 1
            }
            while offset < min(target, bytes.count) {
                if bytes[offset] == .newline { line += 1 }
                offset += 1
            }
            return line
        }
    }
}

extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let formFeed: UInt8 = 0x0C
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let doubleQuote = UInt8(ascii: "\"")
    static let dollar = UInt8(ascii: "$")
    static let ampersand = UInt8(ascii: "&")
    static let quote = UInt8(ascii: "'")
    static let openParenthesis = UInt8(ascii: "(")
    static let closeParenthesis = UInt8(ascii: ")")
    static let star = UInt8(ascii: "*")
    static let plus = UInt8(ascii: "+")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let semicolon = UInt8(ascii: ";")
    static let backslash = UInt8(ascii: "\\")

    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isASCIIUpperCase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
    var isASCIILetter: Bool { (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") }
    /// `{ident_start}`: a letter, `_`, or any byte of a non-ASCII character.
    var isIdentifierStart: Bool { isASCIILetter || self == UInt8(ascii: "_") || self >= 0x80 }
    /// `{dolq_cont}`: what may follow a dollar-quote tag's first character.
    var isTagContinuation: Bool { isIdentifierStart || isDigit }
    /// `{ident_cont}`: what may follow an identifier's first character.
    var isIdentifierContinuation: Bool { isTagContinuation || self == .dollar }
}
