#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libpq's password file (`~/.pgpass`): lines of `host:port:database:user:password`, where a
/// field of just `*` matches anything, `\` takes the next character as it is (`\:`, `\\`), and
/// a line starting with `#` is a comment. The first matching line wins.
struct PasswordFile {
    let contents: [UInt8]

    /// The file at `path` as libpq reads it, or nil where libpq ignores it: missing,
    /// unreadable, not a regular file, or open to its group or others (libpq warns about that).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 == 0 else { return nil }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                if count < 0 { return nil }
                break
            }
            bytes += buffer[..<count]
        }
        self.init(contents: bytes)
    }

    init(contents: [UInt8]) {
        self.contents = contents
    }

    /// The password of the first line that matches; `host` is `localhost` for libpq's default
    /// socket directory, else the host or socket directory as given.
    func password(host: String, port: String, database: String, user: String) -> String? {
        for var line in contents.split(separator: UInt8(ascii: "\n")) {
            while line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard line.first != UInt8(ascii: "#") else { continue }
            var rest = line
            guard [host, port, database, user].allSatisfy({ Self.consume(field: $0, from: &rest) }) else { continue }
            return Self.unescaped(rest)
        }
        return nil
    }

    /// Whether the next field of `rest` is `*` or `value` (compared byte by byte after
    /// escapes, as libpq does); if so, `rest` moves past its `:`.
    private static func consume(field value: String, from rest: inout ArraySlice<UInt8>) -> Bool {
        if rest.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ":")]) {
            rest = rest.dropFirst(2)
            return true
        }
        var remaining = rest
        for wanted in value.utf8 {
            if remaining.first == UInt8(ascii: "\\"), remaining.count > 1 { remaining = remaining.dropFirst() }
            guard remaining.first == wanted else { return false }
            remaining = remaining.dropFirst()
        }
        guard remaining.first == UInt8(ascii: ":") else { return false }
        rest = remaining.dropFirst()
        return true
    }

    /// The password field: up to the next unescaped `:`, each `\` taking the next byte as it is.
    private static func unescaped(_ field: ArraySlice<UInt8>) -> String {
        var password: [UInt8] = []
        var index = field.startIndex
        while index < field.endIndex, field[index] != UInt8(ascii: ":") {
            if field[index] == UInt8(ascii: "\\"), index + 1 < field.endIndex { index += 1 }
            password.append(field[index])
            index += 1
        }
        return String(decoding: password, as: UTF8.self)
    }
}
