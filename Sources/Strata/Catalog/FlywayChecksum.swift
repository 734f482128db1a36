/// The checksum Flyway stores for a SQL migration, so that a database Flyway managed validates
/// unchanged under Strata.
///
/// Flyway feeds CRC-32 with every line of the file without its line terminator, after removing a
/// leading byte-order mark, and stores the result as a signed 32-bit integer. Feeding the bytes
/// with every CR and LF removed gives the same value in one pass.
enum FlywayChecksum {
    static func of<Bytes: Collection>(_ bytes: Bytes) -> Int32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        var index = bytes.startIndex
        if bytes.starts(with: byteOrderMark) {
            index = bytes.index(index, offsetBy: 3)
        }
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte != 0x0A && byte != 0x0D {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
            index = bytes.index(after: index)
        }
        return Int32(bitPattern: crc ^ 0xFFFF_FFFF)
    }

    static func of(_ text: String) -> Int32 {
        of(Array(text.utf8))
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The reflected CRC-32 table for polynomial 0xEDB88320 (zlib, java.util.zip.CRC32).
    private static let table: [UInt32] = (0..<256).map { entry in
        var value = UInt32(entry)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }
}
