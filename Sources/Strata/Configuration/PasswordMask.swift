/// Takes passwords out of connection strings before they are shown, in every form libpq
/// accepts: a URI's user information (`postgresql://app:secret@db`), its `password` query
/// parameter (`?password=secret`), and `password` in a `key=value` string with any spacing and
/// quoting (`password = 'it''s secret'`, `password='a b'`).
public enum PasswordMask {
    /// What a password is replaced by.
    public static let mask = "***"

    /// The connection string with each password replaced by ``mask``; the rest kept as written.
    public static func conninfo(_ text: String) -> String {
        masking(text).masked
    }

    /// Each password the connection string spells, as written and, in a URI, percent-decoded
    /// too: what a message quoting the string or a piece of it (libpq's errors do, for a
    /// string it cannot parse) must not show. Read as leniently as ``conninfo(_:)`` masks.
    public static func passwords(in text: String) -> [String] {
        let written = masking(text).passwords.filter { !$0.isEmpty }
        let decoded = text.contains("://") ? written.compactMap { PercentDecoding.decoded(Array($0.utf8)[...]) } : []
        var seen = Set<String>()
        return (written + decoded).filter { seen.insert($0).inserted }
    }

    /// A `key=value` value as libpq reads it: without its single quotes, each `\x` as `x`.
    private static func unescaped(_ value: String) -> String {
        var result = ""
        var characters = value.hasPrefix("'") ? Substring(value.dropFirst()) : Substring(value)
        while let character = characters.popFirst() {
            if character == "\\", let next = characters.popFirst() {
                result.append(next)
            } else if character == "'" && value.hasPrefix("'") {
                break
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func masking(_ text: String) -> (masked: String, passwords: [String]) {
        if let scheme = text.firstRange(of: "://") {
            return uri(text, authorityStart: scheme.upperBound)
        }
        return keyValue(text)
    }

    /// `scheme://[user[:password]@]host[,host]…[/dbname][?key=value&…]`.
    private static func uri(_ text: String, authorityStart: String.Index) -> (masked: String, passwords: [String]) {
        var passwords: [String] = []
        var result = String(text[..<authorityStart])
        var rest = text[authorityStart...]
        // As libpq reads it: the user information ends at an `@` before the first `/` (a `?`
        // does not end it, so a raw one may be in a password).
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[...colon] + mask
                let password = userInfo[userInfo.index(after: colon)...]
                // A raw `@` in it: libpq ends the password at the first one and reads the rest as
                // the host, which its error then quotes; each piece is a secret too.
                passwords += [String(password)] + (password.contains("@") ? password.split(separator: "@").map(String.init) : [])
            } else {
                result += userInfo
            }
            rest = rest[at...]
        }
        guard let question = rest.firstIndex(of: "?") else { return (result + rest, passwords) }
        result += rest[...question]
        let parameters = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first, key.lowercased() == "password" else { return String(pair) }
            passwords.append(parts.count > 1 ? String(parts[1]) : "")
            return key + "=" + mask
        }
        return (result + parameters.joined(separator: "&"), passwords)
    }

    /// libpq's `key = value` grammar: whitespace around `=` is allowed, and a value is either
    /// single-quoted (with `\` escapes) or runs to the next whitespace (with `\` escapes).
    private static func keyValue(_ text: String) -> (masked: String, passwords: [String]) {
        let characters = Array(text)
        var result = ""
        var passwords: [String] = []
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
            let value = String(characters[valueStart..<index])
            if key.lowercased() == "password" {
                result += mask
                passwords.append(value)
                // libpq quotes the value it read: without its quotes and escapes too.
                passwords.append(unescaped(value))
            } else {
                result += value
            }
        }
        return (result, passwords)
    }
}
