/// An expression written for one column restated for another: the column's name found where
/// PostgreSQL reads it as a column (not in a string, a type after `::` or a function's name) and
/// replaced, or refused where a substitution could change what the expression means.
enum ColumnRestatement {
    struct Refusal: Error {
        let reason: String
    }

    /// Whether `text` uses `column` as a column, qualified or not.
    static func mentions(_ text: String, _ column: String) -> Bool {
        !references(in: text, to: column).isEmpty
    }

    /// `text` with every use of `old` written as `new`.
    /// - Throws: ``Refusal`` when the column is named through a qualified name (`t.name`,
    ///   `name.field`), which a substitution cannot be sure to restate.
    static func substituting(_ old: String, with new: String, in text: String) throws(Refusal) -> String {
        var result = ""
        var position = text.startIndex
        for reference in references(in: text, to: old) {
            guard !reference.qualified else { throw Refusal(reason: "it names \(old) through a qualified name") }
            result += text[position..<reference.range.lowerBound] + SQLFlavor.postgresql.quote(new)
            position = reference.range.upperBound
        }
        return result + text[position...]
    }

    /// The name a constraint or index of `old` has on `new` until the contract: the old
    /// column's name in it replaced (the last time it stands between underscores), else `_new`
    /// appended; cut to PostgreSQL's 63 bytes.
    static func temporaryName(for name: String, replacing old: String, with new: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        let oldParts = old.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        var replaced: String?
        if parts.count >= oldParts.count {
            for start in stride(from: parts.count - oldParts.count, through: 0, by: -1) where Array(parts[start..<start + oldParts.count]) == oldParts {
                replaced = (parts[..<start] + [new] + parts[(start + oldParts.count)...]).joined(separator: "_")
                break
            }
        }
        return identifier(replaced ?? name + "_" + new)
    }

    /// `name` cut to PostgreSQL's 63 bytes, as the server would cut it.
    static func identifier(_ name: String) -> String {
        var result = name
        while result.utf8.count > 63 { result.removeLast() }
        return result
    }

    private struct Reference {
        let range: Range<String.Index>
        let qualified: Bool
    }

    /// The places `column` stands as a column in `text`.
    private static func references(in text: String, to column: String) -> [Reference] {
        var found: [Reference] = []
        var index = text.startIndex
        func isWordStart(_ character: Character) -> Bool { character.isLetter || character == "_" }
        func isWord(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" || character == "$" }
        func previous(before position: String.Index) -> (Character?, Character?) {
            var cursor = position
            while cursor > text.startIndex {
                cursor = text.index(before: cursor)
                if !text[cursor].isWhitespace {
                    let before = cursor > text.startIndex ? text[text.index(before: cursor)] : nil
                    return (text[cursor], before)
                }
            }
            return (nil, nil)
        }
        func next(after position: String.Index) -> Character? {
            text[position...].first { !$0.isWhitespace }
        }
        while index < text.endIndex {
            let character = text[index]
            let start = index
            var name: String?
            if character == "'" {
                index = text[text.index(after: index)...].firstIndex(of: "'").map { text.index(after: $0) } ?? text.endIndex
            } else if character == "\"" {
                var unquoted = ""
                index = text.index(after: index)
                while index < text.endIndex {
                    if text[index] == "\"" {
                        let after = text.index(after: index)
                        if after < text.endIndex && text[after] == "\"" {
                            unquoted.append("\"")
                            index = text.index(after: after)
                            continue
                        }
                        index = after
                        break
                    }
                    unquoted.append(text[index])
                    index = text.index(after: index)
                }
                name = unquoted
            } else if isWordStart(character) {
                while index < text.endIndex && isWord(text[index]) { index = text.index(after: index) }
                name = text[start..<index].lowercased()
            } else if character.isNumber {
                while index < text.endIndex && (isWord(text[index]) || text[index] == ".") { index = text.index(after: index) }
            } else {
                index = text.index(after: index)
            }
            guard let name, name == column else { continue }
            let (before, beforeThat) = previous(before: start)
            let after = next(after: index)
            if before == ":" && beforeThat == ":" || after == "(" { continue }
            found.append(Reference(range: start..<index, qualified: before == "." || after == "."))
        }
        return found
    }
}
