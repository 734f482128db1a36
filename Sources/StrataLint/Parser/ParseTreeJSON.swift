#if canImport(Glibc)
import Glibc
#endif

/// Reads the JSON libpg_query writes straight into ``ParseNode`` values, byte by byte: a
/// general-purpose decoder spends most of `strata lint`'s time on trees this simple
/// (objects, arrays, strings, integers, booleans; no floats but as strings).
struct ParseTreeJSON {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// The tree of a NUL-terminated JSON text, or nil when it is not JSON.
    static func parse(_ text: UnsafePointer<CChar>) -> ParseNode? {
        let count = strlen(text)
        return text.withMemoryRebound(to: UInt8.self, capacity: count) { start in
            var reader = ParseTreeJSON(bytes: UnsafeBufferPointer(start: start, count: count))
            guard let node = reader.value() else { return nil }
            reader.skipSpace()
            return reader.index == count ? node : nil
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard current == byte else { return false }
        index += 1
        return true
    }

    private mutating func value() -> ParseNode? {
        skipSpace()
        switch current {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(ParseNode.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        case .some: return number()
        case nil: return nil
        }
    }

    private mutating func object() -> ParseNode? {
        index += 1
        var fields: [ParseNode.Field] = []
        fields.reserveCapacity(4)
        if consume(UInt8(ascii: "}")) { return .object(fields) }
        repeat {
            skipSpace()
            guard current == UInt8(ascii: "\""), let key = string(), consume(UInt8(ascii: ":")), let field = value() else { return nil }
            fields.append(ParseNode.Field(key: key, value: field))
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? .object(fields) : nil
    }

    private mutating func array() -> ParseNode? {
        index += 1
        var items: [ParseNode] = []
        if consume(UInt8(ascii: "]")) { return .array(items) }
        repeat {
            guard let item = value() else { return nil }
            items.append(item)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? .array(items) : nil
    }

    private mutating func literal(_ word: StaticString, _ node: ParseNode) -> ParseNode? {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count, memcmp(bytes.baseAddress! + index, word.utf8Start, length) == 0 else { return nil }
        index += length
        return node
    }

    /// A number; the common case, an integer (every `location`), is read without making a string.
    private mutating func number() -> ParseNode? {
        let start = index
        var integer = 0
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), integer < Int.max / 100 {
            integer = integer * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        if index > start, current.map(Self.isNumberByte) != true { return .number(Double(integer)) }
        index = start
        while let byte = current, Self.isNumberByte(byte) { index += 1 }
        guard index > start else { return nil }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)).map(ParseNode.number)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): true
        default: false
        }
    }

    /// A string, its escapes read; `index` is at its opening quote.
    private mutating func string() -> String? {
        index += 1
        let start = index
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { index += 1 }
        if current == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self).unicodeScalars)
        var pending: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: pending, as: UTF8.self).unicodeScalars)
            pending.removeAll()
        }
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return nil }
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): pending.append(0x0A)
                case UInt8(ascii: "t"): pending.append(0x09)
                case UInt8(ascii: "r"): pending.append(0x0D)
                case UInt8(ascii: "b"): pending.append(0x08)
                case UInt8(ascii: "f"): pending.append(0x0C)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    flush()
                    if (0xD800..<0xDC00).contains(code), current == UInt8(ascii: "\\"),
                       index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        guard let low = hex4() else { return nil }
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            // A high surrogate without its low half: a replacement character, then the escape read on its own.
                            scalars.append("\u{FFFD}")
                            code = low
                        }
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: pending.append(escaped)
                }
            default:
                pending.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count,
              let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self), radix: 16) else { return nil }
        index += 4
        return code
    }
}
