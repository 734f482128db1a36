/// What XML allows where: the characters a file may hold at all, and the bytes that may start
/// or continue a name.
enum XMLCharacters {
    /// Checks that `bytes` from `start` on are UTF-8 and hold only characters XML allows (no
    /// control characters but tab and line breaks, no surrogates, U+FFFE or U+FFFF). Done once
    /// up front, so the reader can take any run of bytes between ASCII delimiters as text.
    static func check(_ bytes: [UInt8], from start: Int) throws(XMLSyntaxError) {
        var iterator = bytes[start...].makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var index = start
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                guard isAllowed(scalar) else {
                    throw XMLSyntaxError(message: "the character \(codePoint(scalar.value)) is not allowed in XML; remove it", line: line, column: column)
                }
                let lineBreak = scalar == "\n" || (scalar == "\r" && (index + 1 == bytes.count || bytes[index + 1] != ASCII.newline))
                (line, column) = lineBreak ? (line + 1, 1) : (line, column + 1)
                index += encoded.count
            case .emptyInput:
                return
            case .error:
                throw XMLSyntaxError(
                    message: "the byte 0x\(String(bytes[index], radix: 16, uppercase: true)) is not UTF-8; Strata reads XML changelogs in UTF-8, or in ISO-8859-1 when their <?xml …?> declares it: convert the file (for example with iconv -t UTF-8) or declare its encoding",
                    line: line, column: column)
            }
        }
    }

    static func isUTF8(encoding name: String) -> Bool {
        ["utf-8", "utf8", "us-ascii", "ascii"].contains(name.lowercased())
    }

    static func isLatin1(encoding name: String) -> Bool {
        ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1"].contains(name.lowercased())
    }

    /// ISO-8859-1 bytes as UTF-8: each byte is the code point of the same number.
    static func utf8(fromLatin1 bytes: ArraySlice<UInt8>) -> [UInt8] {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count)
        for byte in bytes {
            Unicode.UTF8.encode(Unicode.Scalar(byte)) { utf8.append($0) }
        }
        return utf8
    }

    /// XML 1.0's `Char`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `U+0001`, as character references and Unicode charts name a code point.
    static func codePoint(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// A letter, `_`, `:` or any non-ASCII character: XML's `NameStartChar`, with non-ASCII
    /// letters taken on trust rather than checked against its ranges.
    static func canStartName(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: ":"), 0x80...: true
        default: false
        }
    }

    /// `NameChar`: a start character, a digit, `-` or `.`.
    static func canContinueName(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: canStartName(byte)
        }
    }
}
