/// Standard Base64 (RFC 4648, with padding): the digests in `strata.sum`, and SCRAM's salts,
/// nonces, proofs and signatures.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = Array(bytes[start..<min(start + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for index in 0..<4 {
                output.append(index <= chunk.count ? alphabet[Int(value >> UInt32(18 - 6 * index) & 63)] : UInt8(ascii: "="))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil unless it is canonical Base64: groups of four
    /// characters of the alphabet, `=` only as the padding of the last group.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        for start in stride(from: 0, to: characters.count, by: 4) {
            let group = characters[start..<start + 4]
            let padding = group.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, start + 4 == characters.count || padding == 0 else { return nil }
            var value: UInt32 = 0
            for character in group.dropLast(padding) {
                guard let digit = alphabet.firstIndex(of: character) else { return nil }
                value = value << 6 | UInt32(digit)
            }
            value <<= UInt32(6 * padding)
            let bytes = (0..<3 - padding).map { UInt8(truncatingIfNeeded: value >> UInt32(16 - 8 * $0)) }
            // Bits below the last byte must be zero, or two texts would decode alike.
            guard Self.encode(bytes).utf8.elementsEqual(group) else { return nil }
            output += bytes
        }
        return output
    }
}
