import Foundation

/// Splits SQL into statements the way Liquibase does for `sql`, `sqlFile` and formatted SQL, so
/// the same text gives the same statements: quotes (`'…'`, `"…"`, `[…]`, `` `…` ``) and comments
/// are opaque; a `;`, or `go` or `/` alone at the start of a line, ends a statement; splitting
/// stops between `BEGIN` and `END` (but not `BEGIN TRANSACTION`). Like Liquibase it knows no
/// dollar quotes: a PostgreSQL function body relies on its BEGIN…END, or on
/// `splitStatements="false"`.
enum LiquibaseSQLSplitter {
    static func split(_ sql: String, endDelimiter: String?, stripComments: Bool = false) -> [String] {
        let text = stripComments ? self.stripComments(sql) : sql
        if let endDelimiter, endDelimiter.count > 1 || endDelimiter.contains("\\") || endDelimiter.contains("$") {
            return splitOnPattern(text, endDelimiter)
        }
        let delimiter = endDelimiter.map { Character($0.lowercased()) } ?? ";"
        var statements: [String] = []
        var current = ""
        var depth = 0
        var index = text.startIndex
        var atLineStart = true
        func finish() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { statements.append(trimmed) }
            current = ""
        }
        while index < text.endIndex {
            let character = text[index]
            let rest = text[index...]
            if let opaque = opaqueLength(rest) {
                let end = text.index(index, offsetBy: opaque)
                current += text[index..<end]
                index = end
                atLineStart = false
                continue
            }
            if character.isLetter || character == "_" {
                let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                let lowered = word.lowercased()
                let next = nextWord(text[word.endIndex...]).lowercased()
                if lowered == "begin", !["transaction", "tran", "trans", "dialog", "conversation", "distributed"].contains(next) {
                    depth += 1
                } else if lowered == "end", next != "transaction", depth > 0 {
                    depth -= 1
                }
                if atLineStart, lowered == "go", endDelimiter == nil, restOfLineIsBlank(text[word.endIndex...]) {
                    finish()
                } else {
                    current += word
                }
                index = word.endIndex
                atLineStart = false
                continue
            }
            let lowered = Character(character.lowercased())
            let isDelimiter = delimiter == "/" ? (lowered == "/" && atLineStart) : lowered == delimiter
            if depth == 0, isDelimiter || (endDelimiter == nil && character == "/" && atLineStart && restOfLineIsBlank(text[text.index(after: index)...])) {
                finish()
            } else {
                current.append(character)
            }
            if character.isNewline { atLineStart = true } else if !character.isWhitespace { atLineStart = false }
            index = text.index(after: index)
        }
        finish()
        return statements
    }

    /// The length of a quoted string, quoted name or comment starting here, or nil.
    static func opaqueLength(_ text: Substring) -> Int? {
        guard let first = text.first else { return nil }
        if text.hasPrefix("--") {
            return text.prefix { !$0.isNewline }.count
        }
        if text.hasPrefix("/*") {
            guard let end = text.range(of: "*/") else { return text.count }
            return text.distance(from: text.startIndex, to: end.upperBound)
        }
        let closing: Character
        switch first {
        case "'", "\"", "`": closing = first
        case "[": closing = "]"
        default: return nil
        }
        var index = text.index(after: text.startIndex)
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" && closing != "]" {
                escaped = true
            } else if character == closing {
                return text.distance(from: text.startIndex, to: index) + 1
            }
            index = text.index(after: index)
        }
        return text.count
    }

    static func nextWord(_ text: Substring) -> Substring {
        text.drop { $0.isWhitespace }.prefix { $0.isLetter || $0 == "_" }
    }

    static func restOfLineIsBlank(_ text: Substring) -> Bool {
        text.prefix { !$0.isNewline }.allSatisfy(\.isWhitespace)
    }

    /// A multi-character `endDelimiter` is a regular expression in Liquibase (`\n/$`, `GO`).
    static func splitOnPattern(_ text: String, _ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .anchorsMatchLines]) else {
            return text.components(separatedBy: pattern).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        var statements: [String] = []
        var start = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text), range.lowerBound >= start else { continue }
            statements.append(String(text[start..<range.lowerBound]))
            start = range.upperBound
        }
        statements.append(String(text[start...]))
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The SQL without `--` and `/* */` comments (quoted text kept), for `stripComments="true"`.
    static func stripComments(_ sql: String) -> String {
        var result = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            let rest = sql[index...]
            if let length = opaqueLength(rest) {
                let end = sql.index(index, offsetBy: length)
                if !(rest.hasPrefix("--") || rest.hasPrefix("/*")) { result += sql[index..<end] }
                index = end
            } else {
                result.append(sql[index])
                index = sql.index(after: index)
            }
        }
        return result
    }
}
