/// Splits a PostgreSQL migration script into the statements `psql -f` would send, without a
/// server, so that Strata can run them one at a time, stream `COPY ... FROM STDIN` data, and
/// keep the statements that refuse a transaction block out of one.
///
/// The rules are psql 15's lexer (`src/fe_utils/psqlscan.l`), which is where psql decides that a
/// statement ends; each rule of the lexer names the part it mirrors. The script is read once, as
/// UTF-8 bytes, token by token.
package enum PostgresScriptSplitter {
    package struct Statement: Sendable, Equatable {
        /// 1-based line of the statement's first token (not counting leading whitespace/comments).
        package let line: Int
        /// The statement from its first token through its last token, without the terminating `;`
        /// and without what follows it. Comments inside the statement are kept.
        package let text: String
        /// For `COPY ... FROM STDIN`: the lines after the statement's `;` up to (not including) the
        /// `\.` line, each ending with "\n". Nil otherwise.
        package let copyData: String?
        /// True for statements PostgreSQL refuses inside a transaction block.
        package let requiresNoTransaction: Bool
        /// True for statements that begin or end the session's transaction (see
        /// ``PostgresScriptSplitter/Words/controlsTransaction``).
        package let controlsTransaction: Bool
    }

    /// The index a `CREATE INDEX CONCURRENTLY` names: a failed one leaves an invalid index of
    /// that name behind, which has to be dropped before the statement can run again.
    package struct ConcurrentIndex: Sendable, Equatable {
        package let schema: String?
        package let name: String
        package let ifNotExists: Bool
    }

    /// The statements of a script, in order. Text that is only whitespace and comments is no
    /// statement; the last statement may lack its `;`.
    /// - Throws: ``PostgresScriptError`` for a psql meta-command, an unterminated string,
    ///   quoted identifier, dollar quote or block comment, or COPY data without its `\.` line.
    package static func split(_ sql: String) throws(PostgresScriptError) -> [Statement] {
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

    /// The first `count` words of a statement, upper-cased; comments are skipped, and any other
    /// token (a quoted name, a symbol) ends them.
    package static func leadingKeywords(of statement: String, count: Int) -> [String] {
        var lexer = Lexer(statement)
        var words: [String] = []
        while words.count < count, let token = try? lexer.next(), token.kind == .word {
            words.append(String(decoding: lexer.bytes[token.start..<token.end].map { $0.isASCIILetter ? $0 & ~0x20 : $0 }, as: UTF8.self))
        }
        return words
    }

    /// For `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] [schema.]name ON ...`: the index's
    /// name and schema as the catalog holds them (a quoted name unquoted, an unquoted one folded to
    /// lower case, as PostgreSQL folds it). Nil for any other statement, and for an index without a name.
    package static func concurrentIndex(in statement: String) -> ConcurrentIndex? {
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
package struct PostgresScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line where the problem starts.
    package let line: Int
    /// What is wrong and what to do about it.
    package let message: String

    package var description: String { "line \(line): \(message)" }
}

extension PostgresScriptSplitter {
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
                requiresNoTransaction: words.requiresNoTransaction,
                controlsTransaction: words.controlsTransaction)
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
    }
}
