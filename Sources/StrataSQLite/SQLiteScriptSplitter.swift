import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// Splits a script into statements without a database, the way the `sqlite3` shell does:
/// a statement ends at the first `;` after which `sqlite3_complete()` says the text is whole.
///
/// Migrations are executed with the parser's tail pointer instead (see ``SQLiteDatabase``),
/// which needs the schema to exist; this splitter gives statement boundaries without running
/// anything, for library users and for the conformance suite that checks them against peers.
public enum SQLiteScriptSplitter {
    public struct Statement: Sendable, Equatable {
        /// The 1-based line of the statement's first token.
        public let line: Int
        /// The statement's text, from its first token through its `;`.
        public let text: String
    }

    public static func split(_ sql: String) -> [Statement] {
        let bytes = Array(sql.utf8)
        var statements: [Statement] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ";") {
                let candidate = String(decoding: bytes[start...index], as: UTF8.self)
                if sqlite3_complete(candidate) != 0 {
                    append(bytes[start...index], startingAt: start, in: bytes, to: &statements)
                    start = index + 1
                }
            }
            index += 1
        }
        append(bytes[start...].prefix(bytes.count - start), startingAt: start, in: bytes, to: &statements)
        return statements
    }

    private static func append(_ slice: ArraySlice<UInt8>, startingAt start: Int, in bytes: [UInt8], to statements: inout [Statement]) {
        let cursor = ScriptCursor(String(decoding: slice, as: UTF8.self))
        defer { cursor.deallocate() }
        let first = cursor.firstToken()
        guard first < cursor.count else { return }
        let text = SQLText.trimmed(String(decoding: slice.dropFirst(first), as: UTF8.self))
        guard text != ";" else { return }
        statements.append(Statement(line: SQLText.line(ofOffset: start + first, in: bytes), text: text))
    }
}
