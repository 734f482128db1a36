import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Strata

/// One libpq connection: opening it exactly as `psql` would (URLs, `key=value` strings, the
/// `PG*` variables, `.pgpass`, every `sslmode`), running statements, and reading errors with
/// the password taken out.
final class PostgresConnection {
    let handle: OpaquePointer
    /// Removed from every message before it leaves the driver.
    private let password: String?
    /// Server notices (`RAISE NOTICE`, warnings), already redacted.
    var onNotice: (String) -> Void = { _ in }

    /// What to connect with: the connection string, and what a configuration file sets on top.
    struct Settings {
        let conninfo: String
        let user: String?
        let password: String?
        /// Another database on the same server, in place of the connection string's.
        var database: String? = nil
    }

    init(_ settings: Settings) throws(DatabaseError) {
        guard strata_libpq_available() == 1 else {
            throw DatabaseError(message: "PostgreSQL's client library libpq.so.5 is not installed; install libpq5 (Debian) to use PostgreSQL URLs")
        }
        // libpq reads the expanded connection string first; later keywords override it.
        var keywords = ["dbname"], values = [settings.conninfo]
        if let user = settings.user { keywords.append("user"); values.append(user) }
        // Only the first `dbname` is read as a connection string; a later one is a plain name.
        if let database = settings.database { keywords.append("dbname"); values.append(database) }
        if let password = settings.password { keywords.append("password"); values.append(password) }
        keywords.append("fallback_application_name")
        values.append("strata")
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw DatabaseError(message: "libpq could not allocate a connection") }
        let password = settings.password ?? Self.password(of: settings.conninfo) ?? PQpass(connection).map { String(cString: $0) }
        self.password = password?.isEmpty == false ? password : nil
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Redactor(password: self.password).clean(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw DatabaseError(
                message: "cannot connect to PostgreSQL: \(Self.sentence(message)) Check the URL (or the PG* variables), that the server runs, and the credentials")
        }
        handle = connection
        PQsetNoticeReceiver(connection, { context, result in
            guard let context, let result else { return }
            let connection = Unmanaged<PostgresConnection>.fromOpaque(context).takeUnretainedValue()
            let severity = PQresultErrorField(result, Int32(UInt8(ascii: "S"))).map { String(cString: $0) } ?? "NOTICE"
            let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
            connection.onNotice(connection.redact("\(severity): \(message)"))
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// libpq's message as one sentence of an error paragraph: its lines (it indents the
    /// second with a tab) joined, ending with one mark of punctuation.
    static func sentence(_ message: String) -> String {
        let joined = message.split(whereSeparator: \.isNewline).map { SQLText.trimmed($0) }.filter { !$0.isEmpty }.joined(separator: " ")
        return joined.last.map { ".?!".contains($0) } == true ? joined : joined + "."
    }

    deinit {
        PQfinish(handle)
    }

    func redact(_ text: String) -> String {
        Redactor(password: password).clean(text)
    }

    /// `user@host:port/database`, for people to read: never the password.
    var display: String {
        let user = PQuser(handle).map { String(cString: $0) } ?? ""
        let host = PQhost(handle).map { String(cString: $0) } ?? ""
        let port = PQport(handle).map { String(cString: $0) } ?? ""
        let database = PQdb(handle).map { String(cString: $0) } ?? ""
        return "postgresql://\(user)@\(host.hasPrefix("/") ? "[\(host)]" : host):\(port)/\(database)"
    }

    var backendPID: Int32 { PQbackendPID(handle) }
    var inTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    // MARK: Running statements

    /// Runs one statement with text parameters and returns its rows as text (nil for NULL).
    func run(_ sql: String, _ parameters: [String?] = []) throws(DatabaseError) -> [[String?]] {
        let result = try succeeded(sql, parameters)
        defer { PQclear(result) }
        return Self.rows(of: result)
    }

    /// Runs one statement with text parameters and returns its result, which the caller clears
    /// with `PQclear`: for reading a long result row by row.
    func succeeded(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> OpaquePointer? {
        let result = withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            defer { PQclear(result) }
            throw DatabaseError(message: failureMessage(result), code: field(result, "C"), sql: sql)
        }
        return result
    }

    /// Runs statements without parameters in one message, one round trip: stops at the first
    /// that fails, whose error it throws, naming `subject` as the statement that ran.
    func runAll(_ statements: [String], subject: String?) throws(DatabaseError) {
        let result = PQexec(handle, statements.joined(separator: ";\n"))
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw DatabaseError(message: failureMessage(result), code: field(result, "C"), sql: subject)
        }
    }

    /// A statement of Strata's own with its `$n` parameters replaced by literals that libpq
    /// quotes for this connection, so that it can share a message with others. Quoted names
    /// and strings in the statement are left as they are.
    func inline(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> String {
        var output = ""
        var quote: Character?
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            index = sql.index(after: index)
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "$" {
                let digits = sql[index...].prefix(while: \.isASCII).prefix(while: \.isWholeNumber)
                guard let number = Int(digits), parameters.indices.contains(number - 1) else {
                    throw DatabaseError(message: "the statement has no parameter $\(digits)", sql: sql)
                }
                output += try literal(parameters[number - 1])
                index = digits.endIndex
                continue
            }
            output.append(character)
        }
        return output
    }

    private func literal(_ value: String?) throws(DatabaseError) -> String {
        guard let value else { return "NULL" }
        guard let quoted = PQescapeLiteral(handle, value, value.utf8.count) else {
            throw DatabaseError(message: failureMessage(nil))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    static func rows(of result: OpaquePointer?) -> [[String?]] {
        (0..<PQntuples(result)).map { row($0, of: result) }
    }

    static func row(_ row: Int32, of result: OpaquePointer?) -> [String?] {
        (0..<PQnfields(result)).map { column in
            PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
        }
    }

    func field(_ result: OpaquePointer?, _ code: Character) -> String? {
        PQresultErrorField(result, Int32(code.asciiValue!)).map { redact(String(cString: $0)) }
    }

    /// The server's message with its detail and hint, or libpq's own message.
    func failureMessage(_ result: OpaquePointer?) -> String {
        guard let primary = field(result, "M") else {
            return redact(SQLText.trimmed(String(cString: PQerrorMessage(handle))))
        }
        var message = primary
        if let detail = field(result, "D") { message += " (detail: \(detail))" }
        if let hint = field(result, "H") { message += " (hint: \(hint))" }
        return message
    }

    // MARK: Connection strings

    private static func password(of conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            PQfreemem(error)
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }
}

/// Takes a password out of any text that may reach a user or a log.
struct Redactor {
    let password: String?

    func clean(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        return text.split(separator: password, omittingEmptySubsequences: false).joined(separator: "***")
    }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
