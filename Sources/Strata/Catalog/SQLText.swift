#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Small helpers for showing SQL to people.
package enum SQLText {
    /// The first non-blank line of a statement, trimmed, without a final `;`, and cut to a
    /// readable length. Reads no further than that line.
    package static func firstLine(of sql: String, limit: Int = 100) -> String {
        var line = ""
        for candidate in lines(of: sql[...]) {
            line = trimmed(candidate)
            if !line.isEmpty { break }
        }
        if line.hasSuffix(";") { line = trimmed(line.dropLast()) }
        return line.count > limit ? line.prefix(limit) + "…" : line
    }

    /// The lines of a text, split at `\n`, one at a time: a `\r` before it stays on its line.
    static func lines(of text: Substring) -> some Sequence<Substring> {
        var rest: Substring? = text
        return AnyIterator<Substring> {
            guard let current = rest else { return nil }
            guard let end = current.utf8.firstIndex(of: UInt8(ascii: "\n")) else {
                rest = nil
                return current
            }
            rest = current[current.utf8.index(after: end)...]
            return current[..<end]
        }
    }

    /// The string without leading and trailing whitespace (newlines included).
    package static func trimmed(_ text: String) -> String {
        trimmed(text[...])
    }

    /// The text without leading and trailing whitespace (newlines included).
    package static func trimmed(_ text: Substring) -> String {
        // ASCII whitespace is skipped byte by byte; Characters (a Unicode table lookup each, 7 %
        // of applying 1,000 migrations) are read only when the text ends in a non-ASCII one.
        let utf8 = text.utf8
        guard let start = utf8.firstIndex(where: { !isASCIIWhitespace($0) }) else { return "" }
        if let end = utf8.lastIndex(where: { !isASCIIWhitespace($0) }), utf8[start] < 0x80, utf8[end] < 0x80 {
            return String(text[start...end])
        }
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// Space, tab, line feed, vertical tab, form feed, carriage return: the ASCII characters
    /// that are `Character.isWhitespace`.
    package static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte)
    }

    /// Whether a text holds `${`, scanning bytes: a generic substring search costs a quarter
    /// of `strata info` on a thousand files.
    package static func containsPlaceholder(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
            previous = byte
        }
        return false
    }

    /// The 1-based line number of a UTF-8 byte offset in a text.
    package static func line<Bytes: Collection>(ofOffset offset: Int, in bytes: Bytes) -> Int
    where Bytes.Element == UInt8 {
        1 + bytes.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The offset of the first byte that is not valid UTF-8, or nil when all of it is valid.
    package static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
