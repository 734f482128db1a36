import CPgQuery
import Strata
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        guard let json = result.parse_tree,
              let tree = try? JSONDecoder().decode(ParseNode.self, from: Data(String(cString: json).utf8)) else {
            return .rejected(message: "libpg_query returned a parse tree Strata cannot read", position: 0)
        }
        return .parsed(tree["stmts"].items.map { $0["stmt"] })
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

extension ParseNode: Decodable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([ParseNode].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: ParseNode].self))
        }
    }
}
