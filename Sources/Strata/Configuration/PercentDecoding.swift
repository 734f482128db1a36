/// `%XX` escapes in a URI as libpq reads them: the connection string's parser and the password
/// mask decode the same way.
package enum PercentDecoding {
    /// `%XX` escapes replaced by their byte; nil for a bad escape, `%00`, or bytes that are not UTF-8.
    package static func decoded(_ part: ArraySlice<UInt8>) -> String? {
        var output: [UInt8] = []
        var index = part.startIndex
        while index < part.endIndex {
            guard part[index] == UInt8(ascii: "%") else {
                output.append(part[index])
                index += 1
                continue
            }
            guard index + 2 < part.endIndex, let high = hexDigit(part[index + 1]), let low = hexDigit(part[index + 2]), high | low != 0 else { return nil }
            output.append(high << 4 | low)
            index += 3
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
