import Strata

/// The part of TOML a configuration file needs: `[tables]` (dotted, quoted parts allowed),
/// `key = value` with strings, integers, floats, booleans and one-line arrays, and `#`
/// comments. Every entry keeps its line, so errors can name it.
struct TOMLDocument {
    indirect enum Value: Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([Value])

        var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .float: "a number"
            case .bool: "a boolean"
            case .array: "an array"
            }
        }
    }

    struct Entry: Equatable {
        /// The table the key sits in: `["environments", "dev"]`.
        let table: [String]
        let key: String
        let value: Value
        let line: Int
    }

    struct ParseError: Error, Equatable {
        let line: Int
        let message: String
    }

    let entries: [Entry]

    init(parsing text: String) throws(ParseError) {
        var entries: [Entry] = []
        var table: [String] = []
        /// The line of each key set so far, by its full path: a key set twice is refused, not silently replaced.
        var lines: [[String]: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            var scanner = Scanner(text: Substring(rawLine), line: line)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.consume("[") {
                guard !scanner.consume("[") else { throw ParseError(line: line, message: "arrays of tables ([[…]]) are not supported here") }
                table = try scanner.keyPath(until: "]")
                guard scanner.consume("]") else { throw ParseError(line: line, message: "a table header must end with `]`") }
            } else {
                let path = try scanner.keyPath(until: "=")
                scanner.hidesText = path.last == "password"
                guard scanner.consume("=") else { throw ParseError(line: line, message: "expected `=` after the key `\(path.joined(separator: "."))`") }
                scanner.skipSpaces()
                let value = try scanner.value()
                if let first = lines.updateValue(line, forKey: table + path) {
                    throw ParseError(line: line, message: "`\((table + path).joined(separator: "."))` is set twice (first on line \(first)); keep one")
                }
                entries.append(Entry(table: table + path.dropLast(), key: path.last!, value: value, line: line))
            }
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw ParseError(line: line, message: "unexpected text after the value: `\(scanner.shown(scanner.text))`") }
        }
        self.entries = entries
    }

    /// Reads one line.
    private struct Scanner {
        var text: Substring
        let line: Int
        /// Whether the line holds a password, which no error may show.
        var hidesText = false

        var atEndOrComment: Bool { text.isEmpty || text.first == "#" || text.first == "\r" }

        /// Text of the line as an error may show it: none of a password, and URLs' passwords masked.
        func shown(_ text: some StringProtocol) -> String {
            hidesText ? PasswordMask.mask : PasswordMask.conninfo(String(text))
        }

        mutating func skipSpaces() {
            text = text.drop { $0 == " " || $0 == "\t" }
        }

        mutating func consume(_ prefix: String) -> Bool {
            guard text.hasPrefix(prefix) else { return false }
            text = text.dropFirst(prefix.count)
            return true
        }

        /// `a.b."c d"` up to (not including) `terminator`.
        mutating func keyPath(until terminator: Character) throws(ParseError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                if text.first == "\"" || text.first == "'" {
                    guard case .string(let quoted) = try value() else { throw ParseError(line: line, message: "bad quoted key") }
                    parts.append(quoted)
                } else {
                    let bare = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                    guard !bare.isEmpty else { throw ParseError(line: line, message: "expected a key at `\(shown(text))`") }
                    parts.append(String(bare))
                    text = text.dropFirst(bare.count)
                }
                skipSpaces()
                if consume(".") { continue }
                guard text.first == terminator else { throw ParseError(line: line, message: "expected `\(terminator)` at `\(shown(text))`") }
                return parts
            }
        }

        mutating func value() throws(ParseError) -> Value {
            if consume("\"") { return .string(try basicString()) }
            if consume("'") {
                guard let end = text.firstIndex(of: "'") else { throw ParseError(line: line, message: "a string that opens with ' must close on the same line") }
                defer { text = text[text.index(after: end)...] }
                return .string(String(text[..<end]))
            }
            if consume("[") {
                var items: [Value] = []
                while true {
                    skipSpaces()
                    if consume("]") { return .array(items) }
                    items.append(try value())
                    skipSpaces()
                    if consume(",") { continue }
                    guard consume("]") else { throw ParseError(line: line, message: "an array must be written on one line and end with `]`") }
                    return .array(items)
                }
            }
            if consume("true") { return .bool(true) }
            if consume("false") { return .bool(false) }
            let word = text.prefix { !($0 == " " || $0 == "\t" || $0 == "," || $0 == "]" || $0 == "#" || $0 == "\r") }
            text = text.dropFirst(word.count)
            let digits = String(word.filter { $0 != "_" })
            if let integer = Int(digits) { return .integer(integer) }
            if let float = Double(digits) { return .float(float) }
            throw ParseError(line: line, message: "`\(shown(word))` is not a value: quote strings (\"…\"), and write numbers, true or false as they are")
        }

        private mutating func basicString() throws(ParseError) -> String {
            var result = ""
            while let character = text.first {
                text = text.dropFirst()
                switch character {
                case "\"": return result
                case "\\":
                    guard let escaped = text.first else { break }
                    text = text.dropFirst()
                    switch escaped {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "\"": result.append("\"")
                    case "\\": result.append("\\")
                    default: throw ParseError(line: line, message: "unknown escape `\(shown("\\\(escaped)"))` in a string")
                    }
                default: result.append(character)
                }
            }
            throw ParseError(line: line, message: "a string that opens with \" must close on the same line")
        }
    }
}
