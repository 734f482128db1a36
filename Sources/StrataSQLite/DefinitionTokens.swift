import Strata

/// The tokens of one stored `CREATE` statement, for the readers that take from its text what
/// SQLite's pragmas do not report (checks, constraint names, generated expressions, index
/// expressions). Positions are token indexes; text is cut from the statement as written.
struct DefinitionTokens {
    private let lexer: SQLiteLexer
    let tokens: [SQLiteLexer.Token]

    /// SQLite stores only statements it parsed, so a lexer error cannot happen here; the
    /// tokens read up to one would still be returned.
    init(_ sql: String) {
        var lexer = SQLiteLexer(sql)
        var tokens: [SQLiteLexer.Token] = []
        while let token = try? lexer.next() { tokens.append(token) }
        self.lexer = lexer
        self.tokens = tokens
    }

    var count: Int { tokens.count }

    func isKeyword(_ index: Int, _ keyword: String) -> Bool {
        index < tokens.count && lexer.isKeyword(tokens[index], keyword)
    }

    func isSymbol(_ index: Int, _ symbol: Character) -> Bool {
        index < tokens.count && tokens[index].kind == .symbol && lexer.bytes[tokens[index].start] == symbol.asciiValue
    }

    /// The index of the `)` that closes the `(` at `open`, or the end when it is not closed.
    func closing(_ open: Int) -> Int {
        var depth = 0
        for index in open..<tokens.count {
            if isSymbol(index, "(") { depth += 1 }
            if isSymbol(index, ")") { depth -= 1 }
            if depth == 0 { return index }
        }
        return tokens.count
    }

    /// The first index in `range` whose token passes `test`, outside parentheses.
    func firstTopLevel(in range: Range<Int>, where test: (Int) -> Bool) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if test(index) { return index }
            index = isSymbol(index, "(") ? closing(index) + 1 : index + 1
        }
        return nil
    }

    /// The comma-separated parts of `range`, split at commas outside parentheses.
    func items(in range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = range.lowerBound
        while let comma = firstTopLevel(in: start..<range.upperBound, where: { isSymbol($0, ",") }) {
            parts.append(start..<comma)
            start = comma + 1
        }
        if start < range.upperBound { parts.append(start..<range.upperBound) }
        return parts
    }

    /// The statement's text from the first token of `range` to the end of its last.
    func text(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return lexer.text(from: tokens[range.lowerBound].start, to: tokens[range.upperBound - 1].end)
    }

    /// The identifier at `index` without its quotes (`"a""b"` is `a"b`).
    func name(_ index: Int) -> String {
        guard index < tokens.count else { return "" }
        let raw = text(index..<index + 1)
        switch tokens[index].kind {
        case .quotedIdentifier, .string:
            let inner = String(raw.dropFirst().dropLast())
            guard let quote = raw.first, quote != "[" else { return inner }
            return inner.split(separator: "\(quote)\(quote)", omittingEmptySubsequences: false).joined(separator: String(quote))
        default:
            return raw
        }
    }

    /// The names listed in the parentheses opened at `open` (`(a, "b" DESC)` is `a`, `b`).
    func names(inParenthesesAt open: Int) -> [String] {
        items(in: open + 1..<closing(open)).map { name($0.lowerBound) }
    }
}
