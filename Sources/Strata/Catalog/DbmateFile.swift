/// dbmate's single files with `-- migrate:up` and `-- migrate:down` sections.
enum DbmateFile {
    /// The leading digits of a `<version>…sql` name, which dbmate takes as the version.
    static func version(of fileName: String) -> String? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let digits = fileName.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// The description: what follows the version, `_` and `-` as spaces.
    static func description(of fileName: String) -> String {
        let rest = fileName.dropLast(".sql".count).drop { $0.isASCII && $0.isNumber }
        return SQLText.trimmed(String(rest.map { $0 == "_" || $0 == "-" ? " " : $0 }))
    }

    /// One block of a dbmate file: its text (directive line included) and options.
    struct Block: Sendable, Equatable {
        let text: String
        /// False when the directive says `transaction:false`.
        let transaction: Bool
        /// The 1-based line of the directive.
        let line: Int
    }

    /// One `-- migrate:up` block and its `-- migrate:down` block.
    struct Section: Sendable, Equatable {
        let up: Block
        let down: Block
    }

    struct ParseError: Error, Sendable, Equatable {
        let line: Int
        let message: String
    }

    /// Splits a file as dbmate does: only blank and comment lines before the first
    /// `-- migrate:up`; a section runs from each `-- migrate:up` to the next, and holds exactly
    /// one `-- migrate:down`, which ends its up block. Line endings are kept.
    static func sections(of text: String) throws(ParseError) -> [Section] {
        let lines = linesKeepingTerminators(text).enumerated().map { (number: $0.offset + 1, text: $0.element) }
        let ups = lines.indices.filter { isDirective(lines[$0].text, "up") }
        guard let firstUp = ups.first else {
            throw ParseError(line: 1, message: "a dbmate migration needs a `-- migrate:up` line before its SQL")
        }
        for line in lines[..<firstUp] {
            if isDirective(line.text, "down") {
                throw ParseError(line: line.number, message: "`-- migrate:down` comes before `-- migrate:up`; put the up block first")
            }
            let trimmed = SQLText.trimmed(line.text)
            guard trimmed.isEmpty || trimmed.hasPrefix("--") else {
                throw ParseError(line: line.number, message: "SQL before `-- migrate:up` belongs to no section; move it below the directive")
            }
        }
        func block(_ range: Range<Int>) -> Block {
            let directive = lines[range.lowerBound].text
            return Block(
                text: lines[range].map(\.text).joined(), transaction: !options(of: directive).contains("transaction:false"),
                line: lines[range.lowerBound].number)
        }
        return try zip(ups, ups.dropFirst().map { Optional($0) } + [nil]).map { (up, nextUp) throws(ParseError) -> Section in
            let end = nextUp ?? lines.count
            let downs = lines.indices[(up + 1)..<end].filter { isDirective(lines[$0].text, "down") }
            guard let down = downs.first else {
                throw ParseError(line: lines[up].number, message: "this `-- migrate:up` has no `-- migrate:down` after it; dbmate requires a down block")
            }
            guard downs.count == 1 else {
                throw ParseError(line: lines[downs[1]].number, message: "a second `-- migrate:down` in one section; every down block follows its own `-- migrate:up`")
            }
            return Section(up: block(up..<down), down: block(down..<end))
        }
    }

    /// The lines of a text with their `\n` or `\r\n`, split on bytes: a `\r\n` is one
    /// Character in Swift and would not match a plain `\n`.
    private static func linesKeepingTerminators(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(String(decoding: bytes[start...index], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return lines
    }

    /// Whether a file's text has a `-- migrate:up` line.
    static func hasUpDirective(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { isDirective(String($0), "up") }
    }

    /// Whether a line is `-- migrate:<name>` (the space after `--` is optional).
    static func isDirective(_ line: String, _ name: String) -> Bool {
        guard line.hasPrefix("--") else { return false }
        let rest = line.dropFirst(2).drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("migrate:" + name) else { return false }
        let after = rest.dropFirst(("migrate:" + name).count).first
        return after == nil || after!.isWhitespace
    }

    private static func options(of directive: String) -> [String] {
        directive.split(whereSeparator: \.isWhitespace).dropFirst().map { $0.lowercased() }
    }
}
