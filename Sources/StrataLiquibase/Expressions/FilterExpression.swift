import Foundation

/// Liquibase's boolean grammar for contexts and labels, parsed once so a bad expression is an
/// error at load time rather than a changeset that silently never runs.
///
/// The rules follow Liquibase's matcher: pieces separated by commas are OR-ed (and a comma
/// inside parentheses is an error, as there); `and` binds tighter than `or`; `!x` and `not x`
/// negate; `@x` marks a token that needs `x` given explicitly; names compare case-insensitively.
public struct FilterExpression: Sendable, Hashable, CustomStringConvertible {
    indirect enum Term: Sendable, Hashable {
        case any([Term])
        case all([Term])
        case not(Term)
        case token(String, required: Bool)
    }

    /// The text as written.
    public let text: String
    /// Nil for an empty expression, which matches everything.
    let term: Term?

    /// The empty expression: no filter.
    public static let empty = FilterExpression(text: "", term: nil)

    private init(text: String, term: Term?) {
        self.text = text
        self.term = term
    }

    /// Parses `text`; throws ``FilterExpressionError`` with the reason.
    public init(parsing text: String) throws(FilterExpressionError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            self = .empty
            return
        }
        var parser = Parser(text: trimmed)
        self.init(text: trimmed, term: try parser.parseTop())
    }

    public var description: String { text }

    /// True when nothing is filtered.
    public var isEmpty: Bool { term == nil }

    /// Whether this expression holds for `items`. With no items at all, every token is true
    /// except the `@`-marked ones, which need their item given: Liquibase runs everything when
    /// no contexts are given, except what was marked mandatory.
    func evaluate(_ items: Set<String>) -> Bool {
        guard let term else { return true }
        let names = Set(items.map { $0.hasPrefix("@") ? String($0.dropFirst()).lowercased() : $0.lowercased() })
        return Self.evaluate(term, names, noItems: items.isEmpty)
    }

    private static func evaluate(_ term: Term, _ items: Set<String>, noItems: Bool) -> Bool {
        switch term {
        case .any(let terms): return terms.contains { evaluate($0, items, noItems: noItems) }
        case .all(let terms): return terms.allSatisfy { evaluate($0, items, noItems: noItems) }
        case .not(let inner):
            if noItems, case .token(_, let required) = inner { return !required }
            return !evaluate(inner, items, noItems: noItems)
        case .token(let name, let required):
            return noItems ? !required : items.contains(name)
        }
    }

    /// A recursive-descent reading of the grammar above, over lower-cased text.
    private struct Parser {
        let original: String
        var characters: [Character]
        var index = 0

        init(text: String) {
            original = text
            characters = Array(text.lowercased())
        }

        mutating func parseTop() throws(FilterExpressionError) -> Term {
            var pieces: [Term] = []
            repeat {
                pieces.append(try parseOr(depth: 0))
                skipSpaces()
            } while consume(",")
            guard index == characters.count else { throw error("unexpected \"\(String(characters[index...]))\"") }
            return pieces.count == 1 ? pieces[0] : .any(pieces)
        }

        mutating func parseOr(depth: Int) throws(FilterExpressionError) -> Term {
            var terms = [try parseAnd(depth: depth)]
            while consumeWord("or") { terms.append(try parseAnd(depth: depth)) }
            return terms.count == 1 ? terms[0] : .any(terms)
        }

        mutating func parseAnd(depth: Int) throws(FilterExpressionError) -> Term {
            var terms = [try parseUnary(depth: depth)]
            while consumeWord("and") { terms.append(try parseUnary(depth: depth)) }
            return terms.count == 1 ? terms[0] : .all(terms)
        }

        mutating func parseUnary(depth: Int) throws(FilterExpressionError) -> Term {
            skipSpaces()
            if consume("!") || consumeWord("not") { return .not(try parseUnary(depth: depth)) }
            if consume("(") {
                let inner = try parseOr(depth: depth + 1)
                skipSpaces()
                if index < characters.count, characters[index] == "," {
                    throw error("a comma inside parentheses; Liquibase splits on commas first, so write `or` there")
                }
                guard consume(")") else { throw error("a \"(\" is not closed") }
                return inner
            }
            let start = index
            while index < characters.count, !" \t\n\r(),".contains(characters[index]) { index += 1 }
            var token = String(characters[start..<index])
            guard !token.isEmpty else { throw error("a name is missing") }
            guard token != "and", token != "or" else { throw error("\"\(token)\" needs a name on both sides") }
            let required = token.hasPrefix("@")
            if required { token.removeFirst() }
            if token.hasPrefix("!") { return .not(.token(String(token.dropFirst()), required: required)) }
            guard !token.isEmpty else { throw error("\"@\" must be followed by a name") }
            return .token(token, required: required)
        }

        mutating func skipSpaces() {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
        }

        mutating func consume(_ character: Character) -> Bool {
            skipSpaces()
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }

        /// A keyword followed by a space or a parenthesis (so `order` is a name, not `or`).
        mutating func consumeWord(_ word: String) -> Bool {
            skipSpaces()
            let end = index + word.count
            guard end <= characters.count, String(characters[index..<end]) == word else { return false }
            guard end < characters.count, characters[end].isWhitespace || characters[end] == "(" else { return false }
            index = end
            return true
        }

        func error(_ reason: String) -> FilterExpressionError {
            FilterExpressionError(expression: original, reason: reason)
        }
    }
}

/// A context or label expression that does not parse.
public struct FilterExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var expression: String
    public var reason: String

    public var description: String { "cannot parse the expression \"\(expression)\": \(reason)" }
}

/// What contexts and labels share: Liquibase's grammar, parsed; the empty expression; the text.
public protocol ParsedFilter: Sendable, Hashable, CustomStringConvertible {
    var expression: FilterExpression { get }
    init(_ expression: FilterExpression)
}

extension ParsedFilter {
    /// Parses Liquibase's grammar (`test, qa`, `!prod and @smoke`).
    public init(parsing text: String) throws(FilterExpressionError) {
        self.init(try FilterExpression(parsing: text))
    }

    /// No filter.
    public static var empty: Self { Self(.empty) }

    public var description: String { expression.text }
}

/// A changeset's `context` (or `contextFilter`): which runtime contexts it runs under.
public struct ContextExpression: ParsedFilter {
    public var expression: FilterExpression

    public init(_ expression: FilterExpression) { self.expression = expression }

    /// Whether a changeset with this expression runs under `contexts` (the `--contexts` given,
    /// an `@`-prefixed one meaning "only changesets that name a context"). No contexts given
    /// runs every changeset except those marked `@`; an empty expression runs under any
    /// contexts, unless one given is `@`-prefixed.
    public func matches(_ contexts: Set<String>) -> Bool {
        if expression.isEmpty { return !contexts.contains { $0.hasPrefix("@") } }
        return expression.evaluate(contexts)
    }
}

/// A `--label-filter`: an expression over each changeset's labels (the roles of contexts,
/// reversed: here the expression is the run's, the items the changeset's).
public struct LabelExpression: ParsedFilter {
    public var expression: FilterExpression

    public init(_ expression: FilterExpression) { self.expression = expression }

    /// Whether a changeset with `labels` runs under this filter. An empty filter runs all; a
    /// changeset without labels runs under any filter with no `@` token.
    public func matches(_ labels: Set<String>) -> Bool {
        expression.evaluate(labels)
    }
}
