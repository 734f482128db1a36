import Strata

/// Reads a statement marked `-- strata:backfill` with PostgreSQL's grammar: the tree says
/// whether it can be cut into batches (one table, no join, no `RETURNING`, no `WITH`) and names
/// the table; the assignments and the condition are taken from the text as written, so that
/// they run exactly as the author wrote them.
public struct PostgresBackfillReader: BackfillStatementReader {
    public init() {}

    public func backfill(from statement: String) throws(BackfillStatementError) -> Backfill {
        let outcome: PostgresParser.Outcome
        do {
            outcome = try PostgresParser.parse(statement)
        } catch {
            throw BackfillStatementError("reading it needs PostgreSQL's parser, libpg_query, which is not installed; install libpg-query-dev (Debian, Ubuntu)")
        }
        let trees: [ParseNode]
        switch outcome {
        case .parsed(let parsed): trees = parsed
        case .rejected(let message, _): throw BackfillStatementError("PostgreSQL's grammar rejects it (\(message))")
        }
        guard trees.count == 1, let tree = trees.first, let type = tree.typeName, let body = tree.typed(type) else {
            throw BackfillStatementError("it must be one UPDATE or DELETE statement")
        }
        let isUpdate: Bool
        switch type {
        case "UpdateStmt": isUpdate = true
        case "DeleteStmt": isUpdate = false
        default: throw BackfillStatementError("only an UPDATE or a DELETE can be a backfill, and this is a \(type.replacingSuffix("Stmt"))")
        }
        let verb = isUpdate ? "UPDATE" : "DELETE"
        if body["withClause"] != .null {
            throw BackfillStatementError("a \(verb) with a WITH clause cannot be cut into batches; move the query into the condition (WHERE … IN (SELECT …))")
        }
        if !body[isUpdate ? "fromClause" : "usingClause"].items.isEmpty {
            throw BackfillStatementError("a \(verb) that joins other tables (\(isUpdate ? "FROM" : "USING")) cannot be cut into batches; use a subquery in the condition instead (WHERE … IN (SELECT …)) or in the assignment")
        }
        if !body["returningList"].items.isEmpty {
            throw BackfillStatementError("RETURNING has nowhere to go in a batched \(verb); remove it")
        }
        if body["whereClause"].typed("CurrentOfExpr") != nil {
            throw BackfillStatementError("WHERE CURRENT OF needs a cursor, which batches cannot share; write the condition out")
        }
        let relation = body["relation"]
        let table = TableName(schema: relation["schemaname"].string, name: relation["relname"].string ?? "")
        let alias = relation["alias"]["aliasname"].string
        let clauses = TopLevelWords(statement)
        let condition = body["whereClause"] == .null ? nil : clauses.text(after: "where", before: nil)
        if body["whereClause"] != .null && condition == nil {
            throw BackfillStatementError("its WHERE clause cannot be found in the text")
        }
        guard isUpdate else { return Backfill(table: table, alias: alias, change: .delete, condition: condition) }
        guard let assignments = clauses.text(after: "set", before: condition == nil ? nil : "where") else {
            throw BackfillStatementError("its SET list cannot be found in the text")
        }
        return Backfill(table: table, alias: alias, change: .update(assignments: assignments), condition: condition)
    }
}

private extension String {
    func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// The unquoted words of a statement outside parentheses, strings, quoted identifiers, dollar
/// quotes and comments, with their byte offsets: where its clauses begin.
struct TopLevelWords {
    let bytes: [UInt8]
    let words: [(word: String, start: Int, end: Int)]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        self.bytes = bytes
        var words: [(word: String, start: Int, end: Int)] = []
        var index = 0
        var depth = 0
        func at(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || byte >= 0x80 || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "$")
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "-") where at(index + 1) == UInt8(ascii: "-"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where at(index + 1) == UInt8(ascii: "*"):
                var nesting = 0
                index += 2
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "/") && at(index + 1) == UInt8(ascii: "*") { nesting += 1; index += 2 }
                    else if bytes[index] == UInt8(ascii: "*") && at(index + 1) == UInt8(ascii: "/") {
                        index += 2
                        if nesting == 0 { break }
                        nesting -= 1
                    } else { index += 1 }
                }
            case UInt8(ascii: "'"):
                let escapes = index > 0 && bytes[index - 1] | 0x20 == UInt8(ascii: "e") && (index < 2 || !isWordByte(bytes[index - 2]))
                index += 1
                while index < bytes.count {
                    if escapes && bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
                    if bytes[index] == UInt8(ascii: "'") {
                        if at(index + 1) == UInt8(ascii: "'") { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "\"") {
                        if at(index + 1) == UInt8(ascii: "\"") { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            case UInt8(ascii: "$"):
                var end = index + 1
                while end < bytes.count && bytes[end] != UInt8(ascii: "$") && isWordByte(bytes[end]) && !(bytes[end] >= UInt8(ascii: "0") && bytes[end] <= UInt8(ascii: "9") && end == index + 1) { end += 1 }
                guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else { index += 1; continue }
                let tag = Array(bytes[index...end])
                var close = end + 1
                while close + tag.count <= bytes.count && !bytes[close...].starts(with: tag) { close += 1 }
                index = min(close + tag.count, bytes.count)
            case UInt8(ascii: "("):
                depth += 1
                index += 1
            case UInt8(ascii: ")"):
                depth -= 1
                index += 1
            case let first where isWordByte(first) && first != UInt8(ascii: "$"):
                var end = index
                while end < bytes.count && isWordByte(bytes[end]) { end += 1 }
                if depth == 0 { words.append((String(decoding: bytes[index..<end], as: UTF8.self).lowercased(), index, end)) }
                index = end
            default:
                index += 1
            }
        }
        self.words = words
    }

    /// The text between the first top-level `keyword` and the first top-level `next` after it
    /// (or the end), trimmed, without a final `;`; nil when `keyword` is not there.
    func text(after keyword: String, before next: String?) -> String? {
        guard let start = words.firstIndex(where: { $0.word == keyword }) else { return nil }
        let end = next.flatMap { next in words[(start + 1)...].first { $0.word == next }?.start } ?? bytes.count
        var text = Substring(String(decoding: bytes[words[start].end..<end], as: UTF8.self))
        text = text.drop { $0.isWhitespace }
        while let last = text.last, last.isWhitespace || last == ";" { text = text.dropLast() }
        return text.isEmpty ? nil : String(text)
    }
}
