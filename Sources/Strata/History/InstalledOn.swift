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
        guard text.utf8.count == layout.count else { return nil }
        var value: UInt64 = 0
        for (byte, expected) in zip(text.utf8, layout) {
            if expected == UInt8(ascii: "#") {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            } else if byte != expected {
                return nil
            }
        }
        return value
    }
}
