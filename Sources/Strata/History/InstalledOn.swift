/// A history row's `installed_on` text, held as a number when it has the layout both engines
/// give it (`2024-05-01 12:00:00.000`, 17 digits): as text it was a heap string of its own in
/// every row, 0.6 MB at 10,000 rows. Any other text is kept as it is.
struct InstalledOn: Sendable, Hashable {
    private enum Storage: Sendable, Hashable {
        case digits(UInt64)
        case text(String)
    }

    private let storage: Storage

    /// The layout held as a number: `#` a digit, anything else itself.
    private static let layout = Array("####-##-## ##:##:##.###".utf8)

    init(_ text: String) {
        storage = Self.digits(of: text).map(Storage.digits) ?? .text(text)
    }

    /// The text as read, whichever way it is held.
    var text: String {
        switch storage {
        case .text(let text): return text
        case .digits(var value):
            var bytes = Self.layout
            for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "#") {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The digits of a text that has exactly the layout, as one number; nil for any other text.
    private static func digits(of text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { bytes -> UInt64? in
            guard bytes.count == layout.count else { return nil }
            var value: UInt64 = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if layout[index] == UInt8(ascii: "#") {
                    guard byte &- UInt8(ascii: "0") < 10 else { return nil }
                    value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                } else if byte != layout[index] {
                    return nil
                }
            }
            return value
        }
    }
}
