import CPgQuery
import Dispatch
import Strata

/// PostgreSQL 15's own grammar, through libpg_query: a statement's text becomes its parse tree.
package enum PostgresParser {
    /// One statement's tree, or why the grammar rejects it.
    package enum Outcome: Sendable, Equatable {
        case parsed([ParseNode])
        /// The server's message and the 1-based character where the parser stopped (0: unknown).
        case rejected(message: String, position: Int)
    }

    /// Parses `sql` (one statement, or several). The trees are the `stmt` nodes of the result.
    /// - Throws: ``ParserUnavailable`` when libpg_query cannot be loaded.
    package static func parse(_ sql: String) throws(ParserUnavailable) -> Outcome {
        guard strata_pg_query_available() == 1 else { throw ParserUnavailable() }
        let result = pg_query_parse(sql)
        defer { pg_query_free_parse_result(result) }
        if let error = result.error {
            return .rejected(message: error.pointee.message.map { String(cString: $0) } ?? "syntax error", position: Int(error.pointee.cursorpos))
        }
        guard let json = result.parse_tree, let tree = ParseTreeJSON.parse(json) else {
            return .rejected(message: "libpg_query returned a parse tree Strata cannot read", position: 0)
        }
        return .parsed(tree["stmts"].items.map { $0["stmt"] })
    }
}

extension PostgresParser {
    /// Each statement's outcome, in order. Parsing is most of a lint run and each statement's
    /// is independent (libpg_query keeps its state per thread), so a long file is parsed in
    /// chunks on every core.
    package static func parseEach(_ statements: [String]) throws(ParserUnavailable) -> [Outcome] {
        let chunk = 256
        guard statements.count > chunk else { return try statements.map { statement throws(ParserUnavailable) in try parse(statement) } }
        _ = try parse("")
        let slots = UnsafeMutableBufferPointer<Outcome?>.allocate(capacity: statements.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        let results = Slots(buffer: slots)
        DispatchQueue.concurrentPerform(iterations: (statements.count + chunk - 1) / chunk) { part in
            for index in part * chunk..<min((part + 1) * chunk, statements.count) {
                results.buffer[index] = try? parse(statements[index])
            }
        }
        return slots.map { $0 ?? .rejected(message: "libpg_query could not be called", position: 0) }
    }

    /// The outcomes' storage, written by the threads at indices no two of them share.
    private struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Outcome?>
    }
}

/// libpg_query (Debian's `libpg-query-dev`) is not installed where `strata lint` runs.
public struct ParserUnavailable: StrataError, Equatable {
    /// ``ErrorCategory/failure``: `strata lint` exits with 1.
    public var category: ErrorCategory { .failure }

    /// What to install, and where.
    public var description: String {
        "strata lint needs PostgreSQL's parser, libpg_query, which is not installed: install libpg-query-dev (Debian, Ubuntu) and run it again."
    }
}
