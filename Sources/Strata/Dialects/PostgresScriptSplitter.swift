/// Splits a PostgreSQL migration script into the statements `psql -f` would send, without a
/// server, so that Strata can run them one at a time, stream `COPY ... FROM STDIN` data, and
/// keep the statements that refuse a transaction block out of one.
///
/// The rules are psql 15's lexer (`src/fe_utils/psqlscan.l`), which is where psql decides that a
/// statement ends; each rule below names the part it mirrors. The script is read once, as UTF-8
/// bytes, token by token.
public enum PostgresScriptSplitter {
    public struct Statement: Sendable, Equatable {
        /// 1-based line of the statement's first token (not counting leading whitespace/comments).
        public let line: Int
        /// The statement from its first token through its last token, without the terminating `;`
        /// and without what follows it. Comments inside the statement are kept.
        public let text: String
        /// For `COPY ... FROM STDIN`: the lines after the statement's `;` up to (not including) the
        /// `\.` line, each ending with "\n". Nil otherwise.
        public let copyData: String?
        /// True for statements PostgreSQL refuses inside a transaction block.
        public let requiresNoTransaction: Bool
    }

    /// The index a `CREATE INDEX CONCURRENTLY` names: a failed one leaves an invalid index of
    /// that name behind, which has to be dropped before the statement can run again.
    public struct ConcurrentIndex: Sendable, Equatable {
        public let schema: String?
        public let name: String
        public let ifNotExists: Bool
    }

    /// The statements of a script, in order. Text that is only whitespace and comments is no
    /// statement; the last statement may lack its `;`.
    /// - Throws: ``PostgresScriptError`` for a psql meta-command, an unterminated string,
    ///   quoted identifier, dollar quote or block comment, or COPY data without its `\.` line.
    public static func split(_ sql: String) throws(PostgresScriptError) -> [Statement] {
        var lexer = Lexer(sql)
        var statements: [Statement] = []
        var pending = PendingStatement()
        while let token = try lexer.next() {
            if lexer.isSymbol(token, .semicolon) && pending.endsAtSemicolon {
                if let statement = try pending.finish(with: &lexer) { statements.append(statement) }
            } else {
                pending.append(token, in: lexer.bytes)
            }
        }
        if let statement = try pending.finish(with: &lexer) { statements.append(statement) }
        return statements
    }

    /// For `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] [schema.]name ON ...`: the index's
    /// name and schema as the catalog holds them (a quoted name unquoted, an unquoted one folded to
    /// lower case, as PostgreSQL folds it). Nil for any other statement, and for an index without a name.
    public static func concurrentIndex(in statement: String) -> ConcurrentIndex? {
        var lexer = Lexer(statement)
        var tokens: [Token] = []
        while let token = try? lexer.next() { tokens.append(token) }
        let words = Words(bytes: lexer.bytes, tokens: tokens)
        var index = words.has(["CREATE", "UNIQUE"]) ? 2 : 1
        guard words.has(["CREATE"]), words.has(["INDEX", "CONCURRENTLY"], at: index) else { return nil }
        index += 2
        let ifNotExists = words.has(["IF", "NOT", "EXISTS"], at: index)
        if ifNotExists { index += 3 }
        guard !words.has(["ON"], at: index), var name = words.identifier(index) else { return nil }
        var schema: String?
        if words.isSymbol(index + 1, .dot) {
            guard let qualified = words.identifier(index + 2) else { return nil }
            schema = name
            name = qualified
            index += 2
        }
        guard words.has(["ON"], at: index + 1) else { return nil }
        return ConcurrentIndex(schema: schema, name: name, ifNotExists: ifNotExists)
    }
}

/// A script that cannot be split as psql would split it.
public struct PostgresScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line where the problem starts.
    public let line: Int
    /// What is wrong and what to do about it.
    public let message: String

    public var description: String { "line \(line): \(message)" }
}

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

    /// The statement being read: its tokens so far, and psql's two counters that decide whether a
    /// `;` ends it.
    struct PendingStatement {
        private var tokens: [Token] = []
        /// Open parentheses (psql's `paren_depth`): a `;` inside them, as in the action list of
        /// `CREATE RULE ... DO ALSO (...; ...)`, does not end the statement.
        private var parenDepth = 0
        /// psql's `begin_depth`: in a statement that starts CREATE [OR REPLACE] FUNCTION or
        /// PROCEDURE, BEGIN opens a level, CASE opens one inside it and END closes one, all outside
        /// parentheses, so the `;`s of a `BEGIN ATOMIC ... END` body stay inside the statement.
        private var beginDepth = 0
        /// The statement's first four words: psql's `identifiers`.
        private var leadingWords: [Token] = []
        private var definesRoutine = false

        var endsAtSemicolon: Bool { parenDepth == 0 && beginDepth == 0 }

        mutating func append(_ token: Token, in bytes: [UInt8]) {
            tokens.append(token)
            switch token.kind {
            case .symbol where bytes[token.start] == .openParenthesis:
                parenDepth += 1
            case .symbol where bytes[token.start] == .closeParenthesis:
                parenDepth = max(parenDepth - 1, 0)
            case .word:
                countBlocks(at: token, in: bytes)
            default:
                break
            }
        }

        private mutating func countBlocks(at token: Token, in bytes: [UInt8]) {
            if leadingWords.count < 4 {
                leadingWords.append(token)
                definesRoutine = Words(bytes: bytes, tokens: leadingWords).definesRoutine
            }
            guard definesRoutine && parenDepth == 0 else { return }
            if Words.matches(token, "BEGIN", in: bytes) {
                beginDepth += 1
            } else if Words.matches(token, "CASE", in: bytes) && beginDepth > 0 {
                beginDepth += 1
            } else if Words.matches(token, "END", in: bytes) && beginDepth > 0 {
                beginDepth -= 1
            }
        }

        /// The statement read so far, with its COPY data read from the script after it; nil when it
        /// has no token. Either way the next statement starts afresh.
        mutating func finish(with lexer: inout Lexer) throws(PostgresScriptError) -> Statement? {
            defer { reset() }
            guard let first = tokens.first, let last = tokens.last else { return nil }
            let words = Words(bytes: lexer.bytes, tokens: tokens)
            let line = lexer.line(at: first.start)
            return Statement(
                line: line,
                text: String(decoding: lexer.bytes[first.start..<last.end], as: UTF8.self),
                copyData: words.isCopyFromStdin ? try lexer.copyData(ofStatementOnLine: line) : nil,
                requiresNoTransaction: words.requiresNoTransaction)
        }

        private mutating func reset() {
            tokens.removeAll(keepingCapacity: true)
            parenDepth = 0
            beginDepth = 0
            leadingWords.removeAll(keepingCapacity: true)
            definesRoutine = false
        }
    }
}

extension PostgresScriptSplitter {
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

extension PostgresScriptSplitter {
    /// A statement's tokens read as keywords: words outside comments and quotes, compared
    /// without regard to case.
    struct Words {
        let bytes: [UInt8]
        let tokens: [Token]

        /// Whether `token` is the word `keyword` (given in upper case), in any case.
        static func matches(_ token: Token, _ keyword: String, in bytes: [UInt8]) -> Bool {
            token.kind == .word && token.end - token.start == keyword.utf8.count
                && zip(bytes[token.start..<token.end], keyword.utf8).allSatisfy { $0 == $1 || $0 == $1 | 0x20 }
        }

        /// Whether the words from `index` on are `keywords`.
        func has(_ keywords: [String], at index: Int = 0) -> Bool {
            index + keywords.count <= tokens.count
                && keywords.indices.allSatisfy { Self.matches(tokens[index + $0], keywords[$0], in: bytes) }
        }

        func isSymbol(_ index: Int, _ symbol: UInt8) -> Bool {
            index < tokens.count && tokens[index].kind == .symbol && bytes[tokens[index].start] == symbol
        }

        /// The name a word or quoted identifier stands for: a word folded to lower case as
        /// PostgreSQL folds it, a quoted one without its quotes. Nil for other tokens and for
        /// `U&"..."`, whose escapes are not decoded here.
        func identifier(_ index: Int) -> String? {
            guard index < tokens.count else { return nil }
            let token = tokens[index]
            let text = bytes[token.start..<token.end]
            switch token.kind {
            case .word:
                return String(decoding: text.map { $0.isASCIIUpperCase ? $0 | 0x20 : $0 }, as: UTF8.self)
            case .quotedIdentifier where text.first == .doubleQuote:
                let inside = String(decoding: text.dropFirst().dropLast(), as: UTF8.self)
                return inside.split(separator: "\"\"", omittingEmptySubsequences: false).joined(separator: "\"")
            default:
                return nil
            }
        }

        /// Where `keywords` first appear as consecutive words at or after `start`.
        func firstIndex(of keywords: [String], from start: Int = 0) -> Int? {
            (start..<max(start, tokens.count)).first { has(keywords, at: $0) }
        }

        /// The index after a parenthesized option list at `index`, as in `REINDEX (VERBOSE) ...`;
        /// `index` itself when there is none.
        func skippingOptionList(at index: Int) -> Int {
            guard isSymbol(index, .openParenthesis) else { return index }
            var depth = 0
            for current in index..<tokens.count {
                if isSymbol(current, .openParenthesis) { depth += 1 }
                if isSymbol(current, .closeParenthesis) { depth -= 1 }
                if depth == 0 { return current + 1 }
            }
            return tokens.count
        }

        var isCopyFromStdin: Bool {
            has(["COPY"]) && firstIndex(of: ["FROM", "STDIN"]) != nil
        }

        /// psql's test for a statement that may hold a `BEGIN ATOMIC` body: CREATE FUNCTION,
        /// CREATE PROCEDURE, or either after CREATE OR REPLACE.
        var definesRoutine: Bool {
            func routine(at index: Int) -> Bool { has(["FUNCTION"], at: index) || has(["PROCEDURE"], at: index) }
            return has(["CREATE"]) && (routine(at: 1) || (has(["OR", "REPLACE"], at: 1) && routine(at: 3)))
        }

        /// Statements PostgreSQL refuses inside a transaction block (they call
        /// `PreventInTransactionBlock`). Subscriptions are included whatever their options, since
        /// some of them need it. ALTER TYPE ... ADD VALUE is not: PostgreSQL 12 and later allow it.
        var requiresNoTransaction: Bool {
            if Self.alwaysOutsideTransactions.contains(where: { has($0) }) { return true }
            if has(["REINDEX"]) {
                let target = skippingOptionList(at: 1)
                return has(["SYSTEM"], at: target) || has(["DATABASE"], at: target) || firstIndex(of: ["CONCURRENTLY"]) != nil
            }
            if has(["ALTER", "DATABASE"]) {
                return firstIndex(of: ["SET", "TABLESPACE"]) != nil
            }
            if has(["ALTER", "TABLE"]), let detach = firstIndex(of: ["DETACH", "PARTITION"]) {
                return firstIndex(of: ["CONCURRENTLY"], from: detach) != nil
            }
            if has(["CLUSTER"]) {
                let afterOptions = skippingOptionList(at: 1)
                return (has(["VERBOSE"], at: afterOptions) ? afterOptions + 1 : afterOptions) == tokens.count
            }
            return false
        }

        private static let alwaysOutsideTransactions = [
            ["VACUUM"], ["ALTER", "SYSTEM"],
            ["CREATE", "DATABASE"], ["DROP", "DATABASE"], ["CREATE", "TABLESPACE"], ["DROP", "TABLESPACE"],
            ["CREATE", "SUBSCRIPTION"], ["ALTER", "SUBSCRIPTION"], ["DROP", "SUBSCRIPTION"],
            ["CREATE", "INDEX", "CONCURRENTLY"], ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"], ["DROP", "INDEX", "CONCURRENTLY"],
            ["DISCARD", "ALL"], ["COMMIT", "PREPARED"], ["ROLLBACK", "PREPARED"],
        ]
    }
}

private extension UInt8 {
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
