#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Lists travel to and from the catalog queries as JSON arrays, so that names holding commas,
/// quotes or braces need no escaping of our own.
enum CatalogJSON {
    static func encode(_ names: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(names)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// A `json_agg` of text; NULL (no rows) is the empty list.
    static func strings(_ text: String?) -> [String] {
        decode([String].self, text) ?? []
    }

    /// A `json_agg` of two-element arrays (a namespace and a name).
    static func pairs(_ text: String?) -> [(String, String)] {
        (decode([[String]].self, text) ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        text.flatMap { try? JSONDecoder().decode(type, from: Data($0.utf8)) }
    }
}
