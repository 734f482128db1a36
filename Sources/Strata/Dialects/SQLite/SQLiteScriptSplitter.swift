/// Splits a SQLite script into the statements SQLite's parser finds in it (`sqlite3_prepare`
/// and its tail pointer), without a database, so that a script's transaction control and its
/// `VACUUM` are known before anything runs: in dry runs, in `strata sql`, and up front in a run.
///
/// A statement ends at a `;` outside strings, quoted identifiers and comments, except in the body
/// of `CREATE [TEMP|TEMPORARY] TRIGGER ... BEGIN ... END`, which only a `;` after an `END` that
/// itself follows a `;` ends: the rule of SQLite's `sqlite3_complete()` (`complete.c`), so a
/// `CASE ... END` inside the body does not end it. Text that is only whitespace, comments and
/// `;` is no statement, as SQLite skips it; the last statement may lack its `;`.
package enum SQLiteScriptSplitter {
    package struct Statement: Sendable, Equatable {
        /// The 1-based line of the statement's first token.
        package let line: Int
        /// From its first token through its last, without the `;` that ends it.
        package let text: String
        /// Its first three words, upper-cased; a quoted identifier or a symbol stops them.
        let leadingKeywords: [String]

        /// `BEGIN`, `COMMIT`, `END` or `ROLLBACK` other than `ROLLBACK [TRANSACTION] TO`: it
        /// begins or ends the connection's transaction. `SAVEPOINT` and `RELEASE` nest inside one.
        package var controlsTransaction: Bool {
            switch leadingKeywords.first {
            case "BEGIN", "COMMIT", "END": return true
            case "ROLLBACK": return !leadingKeywords.dropFirst().drop { $0 == "TRANSACTION" }.starts(with: ["TO"])
            default: return false
            }
        }

        /// `VACUUM`, which SQLite refuses inside a transaction.
        package var refusesTransaction: Bool {
            leadingKeywords.first == "VACUUM"
        }
    }

    /// The statements of a script, in order.
    /// - Throws: ``ScriptError`` for an unterminated block comment, string or quoted identifier.
    package static func split(_ script: String) throws(ScriptError) -> [Statement] {
        var lexer = SQLiteLexer(script)
        var statements: [Statement] = []
        var pending = PendingStatement()
        while let token = try lexer.next() {
            if token.kind == .semicolon && pending.endsAtSemicolon {
                if let statement = pending.finish(with: &lexer) { statements.append(statement) }
            } else {
                pending.append(token, lexer)
            }
        }
        if let statement = pending.finish(with: &lexer) { statements.append(statement) }
        return statements
    }

    /// The statement being read, and where it stands in `sqlite3_complete()`'s trigger states.
    private struct PendingStatement {
        private var first: SQLiteLexer.Token?
        private var last: SQLiteLexer.Token?
        private var leadingKeywords: [String] = []
        private var keywordsEnded = false
        private var opening = TriggerOpening.start
        /// Inside a trigger body: the previous token was a `;`.
        private var afterSemicolon = false
        /// Inside a trigger body: the previous token was an `END` right after a `;`.
        private var afterEnd = false

        /// Whether a `;` here ends the statement: anywhere but inside a trigger body.
        var endsAtSemicolon: Bool {
            opening != .trigger || afterEnd
        }

        mutating func append(_ token: SQLiteLexer.Token, _ lexer: SQLiteLexer) {
            if first == nil { first = token }
            last = token
            keywordsEnded = keywordsEnded || token.kind != .word || leadingKeywords.count == 3
            if !keywordsEnded { leadingKeywords.append(lexer.text(from: token.start, to: token.end).uppercased()) }
            if opening == .trigger {
                afterEnd = afterSemicolon && lexer.isKeyword(token, "END")
                afterSemicolon = token.kind == .semicolon
            } else {
                opening = opening.after(token, lexer)
            }
        }

        mutating func finish(with lexer: inout SQLiteLexer) -> Statement? {
            defer { self = PendingStatement() }
            guard let first, let last else { return nil }
            return Statement(
                line: lexer.line(at: first.start), text: lexer.text(from: first.start, to: last.end),
                leadingKeywords: leadingKeywords)
        }
    }

    /// How far a statement's opening words match `[EXPLAIN [QUERY PLAN]] CREATE [TEMP|TEMPORARY]
    /// TRIGGER`; `.trigger` once they do, `.other` once they cannot.
    private enum TriggerOpening {
        case start, explain, explainQuery, explainQueryPlan, create, trigger, other

        func after(_ token: SQLiteLexer.Token, _ lexer: SQLiteLexer) -> Self {
            func next(_ keyword: String, _ state: Self) -> Self? { lexer.isKeyword(token, keyword) ? state : nil }
            switch self {
            case .start: return next("EXPLAIN", .explain) ?? next("CREATE", .create) ?? .other
            case .explain: return next("QUERY", .explainQuery) ?? next("CREATE", .create) ?? .other
            case .explainQuery: return next("PLAN", .explainQueryPlan) ?? .other
            case .explainQueryPlan: return next("CREATE", .create) ?? .other
            case .create: return next("TEMP", .create) ?? next("TEMPORARY", .create) ?? next("TRIGGER", .trigger) ?? .other
            case .trigger, .other: return self
            }
        }
    }
}
