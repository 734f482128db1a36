/// Text compared the way the engine reads it: two spellings of one expression or type are
/// equal, so a second diff after applying the first finds nothing.
enum SQLNormalization {
    /// Lower case outside quotes, one space between words and none inside brackets, and
    /// no parentheses around the whole expression or `;` after it.
    static func expression(_ text: String) -> String {
        var result = ""
        var quote: Character?
        var quoteStart = 0
        var pendingSpace = false
        for character in DefinitionSQL.withoutTerminator(text) {
            if let open = quote {
                result.append(character)
                if character == open {
                    quote = nil
                    if open == "\"" { unquoteIfPlain(&result, from: quoteStart) }
                }
                continue
            }
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, let last = result.last, !"(,".contains(last), !"),".contains(character) { result.append(" ") }
            pendingSpace = false
            if character == "'" || character == "\"" {
                quote = character
                quoteStart = result.count
            }
            result += character.lowercased()
        }
        return withoutOuterParentheses(result)
    }

    static func expression(_ text: String?) -> String? { text.map { expression($0) } }

    /// `"name"` → `name` when the quotes change nothing (a lower-case plain identifier).
    private static func unquoteIfPlain(_ result: inout String, from start: Int) {
        let opening = result.index(result.startIndex, offsetBy: start)
        let content = result[result.index(after: opening)..<result.index(before: result.endIndex)]
        guard let first = content.unicodeScalars.first, !("0"..."9").contains(first),
              content.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return }
        result.replaceSubrange(opening..., with: String(content))
    }

    private static func withoutOuterParentheses(_ text: String) -> String {
        var text = Substring(text)
        while text.first == "(", text.last == ")", closingOfFirst(text) == text.index(before: text.endIndex) {
            text = text.dropFirst().dropLast()
        }
        return String(text)
    }

    private static func closingOfFirst(_ text: Substring) -> String.Index? {
        var depth = 0
        var quote: Character?
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    /// A type as PostgreSQL writes it back (`int4` and `int` are `integer`); SQLite keeps the
    /// declared text, which only differs in case.
    static func type(_ text: String, _ flavor: SQLFlavor) -> String {
        let type = expression(text)
        guard flavor == .postgresql else { return type }
        let (base, parameters) = splitParameters(type)
        let arrays = base.hasSuffix("[]") ? "[]" : ""
        let element = arrays.isEmpty ? base : String(base.dropLast(2))
        return (postgresAliases[element] ?? element) + parameters + arrays
    }

    /// `character varying(20)` → (`character varying`, `(20)`).
    static func splitParameters(_ type: String) -> (base: String, parameters: String) {
        guard let open = type.firstIndex(of: "("), let close = type.lastIndex(of: ")"), open < close else { return (type, "") }
        let base = type[..<open].trimmed + type[type.index(after: close)...]
        return (base, String(type[open...close]))
    }

    private static let postgresAliases = [
        "int": "integer", "int4": "integer", "int8": "bigint", "int2": "smallint", "bool": "boolean",
        "varchar": "character varying", "char": "character", "bpchar": "character", "float8": "double precision",
        "float4": "real", "float": "double precision", "decimal": "numeric", "timestamptz": "timestamp with time zone",
        "timestamp": "timestamp without time zone", "timetz": "time with time zone", "time": "time without time zone",
        "varbit": "bit varying", "serial": "integer", "bigserial": "bigint", "smallserial": "smallint",
    ]

    /// Whether SQLite takes this default without parentheses: a number, string, blob, NULL,
    /// TRUE/FALSE or CURRENT_TIME/DATE/TIMESTAMP.
    static func isSQLiteDefaultLiteral(_ text: String) -> Bool {
        let value = text.trimmed
        if ["null", "true", "false", "current_time", "current_date", "current_timestamp"].contains(value.lowercased()) { return true }
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'"), !value.dropFirst().dropLast().replacing("''", with: "").contains("'") {
            return true
        }
        let unsigned = value.first.map { "+-".contains($0) } == true ? value.dropFirst() : Substring(value)
        return !unsigned.isEmpty && unsigned.allSatisfy { $0.isNumber || $0 == "." } && unsigned.first != "."
    }
}

extension StringProtocol {
    var trimmed: String {
        var text = Substring(self)
        while text.last?.isWhitespace == true { text.removeLast() }
        while text.first?.isWhitespace == true { text.removeFirst() }
        return String(text)
    }
}

extension SQLNormalization {
    /// Whether `text` names `identifier` as a whole word (any case, quoted or not): the test
    /// for "uses this column or table" where only a definition's text is known.
    static func mentions(_ text: String, _ identifier: String) -> Bool {
        let haystack = Array(text.lowercased().unicodeScalars)
        let needle = Array(identifier.lowercased().unicodeScalars)
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        func isWordCharacter(_ index: Int) -> Bool {
            guard haystack.indices.contains(index) else { return false }
            let scalar = haystack[index]
            return ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "$"
        }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            if !isWordCharacter(start - 1) && !isWordCharacter(start + needle.count) { return true }
        }
        return false
    }
}

extension SQLNormalization {
    /// `text` with each whole-word use of the identifier `from` (bare, any case, or quoted)
    /// written as `to`, string literals left alone: a definition as it reads after a rename.
    static func renaming(_ text: String, _ from: String, to: String) -> String {
        let quotedTo = SQLFlavor.postgresql.quote(to)
        var result = ""
        var word = ""
        var literal = false
        func flush() {
            result += word.lowercased() == from.lowercased() ? quotedTo : word
            word = ""
        }
        for character in text {
            if literal {
                result.append(character)
                literal = character != "'"
            } else if character.isLetter || character.isNumber || character == "_" || character == "$" {
                word.append(character)
            } else {
                flush()
                if character == "'" { literal = true }
                result.append(character)
            }
        }
        flush()
        return result.replacing("\"" + from + "\"", with: quotedTo)
    }
}
