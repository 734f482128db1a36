import Strata

/// A libpq connection string taken apart as libpq 15 does: a `postgresql://` (or `postgres://`)
/// URI, a `key=value` string, or else a plain database name. Keywords are not checked here;
/// a later setting of a keyword replaces an earlier one.
enum ConnectionString {
    /// The keywords `text` sets, or nil when libpq would refuse it (it says why better).
    static func parse(_ text: String) -> [String: String]? {
        if text.isEmpty { return [:] }
        for prefix in ["postgresql://", "postgres://"] where text.hasPrefix(prefix) {
            return uri(Array(text.utf8.dropFirst(prefix.utf8.count)))
        }
        if text.contains("=") { return keyValue(Array(text.utf8)) }
        return ["dbname": text]
    }

    /// `[user[:password]@][host][:port][,…][/dbname][?keyword=value&…]`, each part
    /// percent-decoded, an empty part left unset (so the environment still applies).
    private static func uri(_ bytes: [UInt8]) -> [String: String]? {
        var settings: [String: String] = [:]
        func store(_ keyword: String, _ part: ArraySlice<UInt8>) -> Bool {
            guard !part.isEmpty else { return true }
            guard let value = PercentDecoding.decoded(part) else { return false }
            settings[keyword] = value
            return true
        }
        var index = 0
        // User information ends at the first `@`, unless a `/` comes before it.
        if let at = bytes.firstIndex(where: { $0 == ascii("@") || $0 == ascii("/") }), bytes[at] == ascii("@") {
            let userInfo = bytes[..<at]
            let colon = userInfo.firstIndex(of: ascii(":")) ?? at
            guard store("user", bytes[..<colon]), store("password", colon < at ? bytes[(colon + 1)..<at] : []) else { return nil }
            index = at + 1
        }
        var hosts: [UInt8] = [], ports: [UInt8] = [], terminator: UInt8?
        func scan(until stops: [UInt8]) -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.count, !stops.contains(bytes[index]) { index += 1 }
            terminator = index < bytes.count ? bytes[index] : nil
            return bytes[start..<index]
        }
        repeat {
            if terminator == ascii(",") {
                index += 1
                hosts.append(ascii(","))
                ports.append(ascii(","))
            }
            if index < bytes.count, bytes[index] == ascii("[") {
                index += 1
                let address = scan(until: [ascii("]")])
                guard terminator != nil, !address.isEmpty else { return nil }
                hosts += address
                index += 1
                terminator = index < bytes.count ? bytes[index] : nil
                guard terminator.map({ [ascii(":"), ascii("/"), ascii("?"), ascii(",")].contains($0) }) ?? true else { return nil }
            } else {
                hosts += scan(until: [ascii(":"), ascii("/"), ascii("?"), ascii(",")])
            }
            if terminator == ascii(":") {
                index += 1
                ports += scan(until: [ascii("/"), ascii("?"), ascii(",")])
            }
        } while terminator == ascii(",")
        guard store("host", hosts[...]), store("port", ports[...]) else { return nil }
        if terminator == ascii("/") {
            index += 1
            guard store("dbname", scan(until: [ascii("?")])) else { return nil }
        }
        guard terminator == ascii("?") else { return settings }
        var parameters = bytes[(index + 1)...].split(separator: ascii("&"), omittingEmptySubsequences: false)
        // libpq stops at the end of the text, so a trailing `&` is allowed; an empty pair elsewhere is not.
        if parameters.last?.isEmpty == true { parameters.removeLast() }
        for parameter in parameters {
            let pair = parameter.split(separator: ascii("="), maxSplits: 2, omittingEmptySubsequences: false)
            guard pair.count == 2, let keyword = PercentDecoding.decoded(pair[0]), let value = PercentDecoding.decoded(pair[1]) else { return nil }
            // JDBC's spelling, which libpq accepts.
            if keyword == "ssl", value == "true" {
                settings["sslmode"] = "require"
            } else {
                settings[keyword] = value
            }
        }
        return settings
    }

    /// `keyword = value …`: spaces allowed around `=`; a value is single-quoted or runs to the
    /// next space, and `\` takes the next character as it is in both.
    private static func keyValue(_ bytes: [UInt8]) -> [String: String]? {
        var settings: [String: String] = [:]
        var index = 0
        func skipSpaces() { while index < bytes.count, SQLText.isASCIIWhitespace(bytes[index]) { index += 1 } }
        while true {
            skipSpaces()
            guard index < bytes.count else { return settings }
            let keywordStart = index
            while index < bytes.count, bytes[index] != ascii("="), !SQLText.isASCIIWhitespace(bytes[index]) { index += 1 }
            let keyword = bytes[keywordStart..<index]
            skipSpaces()
            guard index < bytes.count, bytes[index] == ascii("=") else { return nil }
            index += 1
            skipSpaces()
            var value: [UInt8] = []
            let quoted = index < bytes.count && bytes[index] == ascii("'")
            if quoted { index += 1 }
            while true {
                guard index < bytes.count else {
                    if quoted { return nil }
                    break
                }
                let byte = bytes[index]
                index += 1
                if quoted ? byte == ascii("'") : SQLText.isASCIIWhitespace(byte) { break }
                if byte == ascii("\\") {
                    if index < bytes.count { value.append(bytes[index]) }
                    index += 1
                } else {
                    value.append(byte)
                }
            }
            guard let keyword = String(validating: keyword, as: UTF8.self), let value = String(validating: value, as: UTF8.self) else { return nil }
            settings[keyword] = value
        }
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
}
