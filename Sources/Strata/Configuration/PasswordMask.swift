/// Takes passwords out of connection strings before they are shown, in every form libpq
/// accepts: a URI's user information (`postgresql://app:secret@db`), its `password` query
/// parameter (`?password=secret`), and `password` in a `key=value` string with any spacing and
/// quoting (`password = 'it''s secret'`, `password='a b'`).
public enum PasswordMask {
    /// What a password is replaced by.
    public static let mask = "***"

    /// The connection string with each password replaced by ``mask``; the rest kept as written.
    public static func conninfo(_ text: String) -> String {
        if let scheme = text.firstRange(of: "://") {
            return uri(text, authorityStart: scheme.upperBound)
        }
        return keyValue(text)
    }

    /// `scheme://[user[:password]@]host[,host]…[/dbname][?key=value&…]`.
    private static func uri(_ text: String, authorityStart: String.Index) -> String {
        var result = String(text[..<authorityStart])
        var rest = text[authorityStart...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[...colon] + mask
            } else {
                result += userInfo
            }
            rest = rest[at...]
        }
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...question]
        let parameters = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let key = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return key.lowercased() == "password" ? key + "=" + mask : String(pair)
        }
        return result + parameters.joined(separator: "&")
    }

    /// libpq's `key = value` grammar: whitespace around `=` is allowed, and a value is either
    /// single-quoted (with `\` escapes) or runs to the next whitespace (with `\` escapes).
    private static func keyValue(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        var index = 0
        func skipSpaces() {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
        }
        while index < characters.count {
            let start = index
            skipSpaces()
            let keyStart = index
            while index < characters.count, !characters[index].isWhitespace, characters[index] != "=" { index += 1 }
            let key = String(characters[keyStart..<index])
            skipSpaces()
            guard index < characters.count, characters[index] == "=" else {
                result += String(characters[start..<index])
                continue
            }
            index += 1
            skipSpaces()
            let valueStart = index
            if index < characters.count, characters[index] == "'" {
                index += 1
                while index < characters.count, characters[index] != "'" {
                    index += characters[index] == "\\" ? 2 : 1
                }
                index = min(index + 1, characters.count)
            } else {
                while index < characters.count, !characters[index].isWhitespace {
                    index += characters[index] == "\\" ? 2 : 1
                }
                index = min(index, characters.count)
            }
            result += String(characters[start..<valueStart])
            result += key.lowercased() == "password" ? mask : String(characters[valueStart..<index])
        }
        return result
    }
}
