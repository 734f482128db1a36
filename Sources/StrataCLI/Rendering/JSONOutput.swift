#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encodes a report as sorted, pretty-printed JSON.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Terminal.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// What `--dry-run` prints, as `--json` prints it: `{"dryRun": true, "sql": "…"}`.
struct PreviewJSON: Encodable {
    let dryRun = true
    let sql: String

    /// Prints `sql` as it is, or in JSON.
    static func print(_ sql: String, json: Bool) throws {
        if json { try JSONOutput.print(PreviewJSON(sql: sql)) } else { Terminal.print(sql) }
    }
}
