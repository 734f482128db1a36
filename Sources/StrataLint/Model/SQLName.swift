/// Identifiers in the SQL the findings suggest.
enum SQLName {
    /// `name` as an identifier: bare when PostgreSQL reads it back unchanged, quoted otherwise.
    /// Read as bytes: every finding names its table, and comparing characters cost more.
    static func quoted(_ name: String) -> String {
        func isLetter(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        let bytes = name.utf8
        let bare = bytes.first.map(isLetter) == true
            && bytes.allSatisfy { isLetter($0) || $0 == UInt8(ascii: "$") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return bare ? name : "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// Comma-separated quoted names.
    static func list(_ names: [String]) -> String {
        names.map(quoted).joined(separator: ", ")
    }
}
