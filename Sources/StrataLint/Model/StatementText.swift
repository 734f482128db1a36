/// The few edits of a statement's text that safe rewrites need: libpg_query gives byte
/// offsets (`location`) into the text, not the text of each part.
enum StatementText {
    /// `( … )` that follows `keyword` at or after byte `offset`, parentheses included, with
    /// nested parentheses and quoted strings inside it; nil when there is none.
    static func parenthesized(in text: String, after offset: Int, keyword: String) -> String? {
        let bytes = Array(text.utf8)
        guard let start = find(keyword, in: bytes, from: offset), let open = bytes[start...].firstIndex(of: UInt8(ascii: "(")) else { return nil }
        var depth = 0
        var quote: UInt8?
        for index in open..<bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = byte
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return String(decoding: bytes[open...index], as: UTF8.self) }
            default: break
            }
        }
        return nil
    }

    /// `text` with `word` inserted after the first whole word `keyword` (any case):
    /// `CREATE INDEX i ON t (a)` → `CREATE INDEX CONCURRENTLY i ON t (a)`.
    static func inserting(_ word: String, after keyword: String, in text: String) -> String {
        let bytes = Array(text.utf8)
        guard let start = find(keyword, in: bytes, from: 0) else { return text }
        let end = start + keyword.utf8.count
        return String(decoding: bytes[..<end], as: UTF8.self) + " " + word + String(decoding: bytes[end...], as: UTF8.self)
    }

    /// The first offset at or after `from` where `word` stands as a whole word, in any case.
    private static func find(_ word: String, in bytes: [UInt8], from: Int) -> Int? {
        let target = Array(word.lowercased().utf8)
        guard target.count <= bytes.count else { return nil }
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        var index = max(from, 0)
        while index + target.count <= bytes.count {
            let matches = (0..<target.count).allSatisfy { bytes[index + $0] | 0x20 == target[$0] }
            let before = index == 0 || !isWordByte(bytes[index - 1])
            let after = index + target.count == bytes.count || !isWordByte(bytes[index + target.count])
            if matches && before && after { return index }
            index += 1
        }
        return nil
    }

    /// The identifiers of a statement, bare (folded to lower case) and quoted, outside strings,
    /// dollar quotes and comments. libpg_query truncates long names before building the tree,
    /// so their length can only be read here. Only names longer than `minimumBytes` are made
    /// into strings, as most statements have none worth reading.
    static func identifiers(in text: String, longerThan minimumBytes: Int = 0) -> [String] {
        let bytes = Array(text.utf8)
        var names: [String] = []
        var index = 0
        func isStart(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "_") || byte >= 0x80 || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) }
        func isPart(_ byte: UInt8) -> Bool { isStart(byte) || byte == UInt8(ascii: "$") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) }
        func skip(past terminator: [UInt8], from start: Int) -> Int {
            var end = start
            while end < bytes.count && !bytes[end...].starts(with: terminator) { end += 1 }
            return min(end + terminator.count, bytes.count)
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "-") && next == UInt8(ascii: "-") {
                index = skip(past: [UInt8(ascii: "\n")], from: index)
            } else if byte == UInt8(ascii: "/") && next == UInt8(ascii: "*") {
                index = skip(past: [UInt8(ascii: "*"), UInt8(ascii: "/")], from: index + 2)
            } else if byte == UInt8(ascii: "'") {
                index = skip(past: [byte], from: index + 1)
            } else if byte == UInt8(ascii: "\""), let end = bytes[(index + 1)...].firstIndex(of: byte) {
                if end - index - 1 > minimumBytes { names.append(String(decoding: bytes[(index + 1)..<end], as: UTF8.self)) }
                index = end + 1
            } else if byte == UInt8(ascii: "$"), let end = bytes[(index + 1)...].firstIndex(of: byte),
                      bytes[(index + 1)..<end].allSatisfy(isPart) {
                index = skip(past: Array(bytes[index...end]), from: end + 1)
            } else if isStart(byte) {
                var end = index
                while end < bytes.count && isPart(bytes[end]) { end += 1 }
                if end - index > minimumBytes { names.append(String(decoding: bytes[index..<end], as: UTF8.self).lowercased()) }
                index = end
            } else {
                index += 1
            }
        }
        return names
    }
}
