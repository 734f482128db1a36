#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Strata

/// One PostgreSQL session, opened exactly as `psql` would open it (URLs, `key=value` strings,
/// the `PG*` variables, `.pgpass`, every `sslmode`): by Strata's own wire-protocol client when
/// the connection needs no TLS, by libpq otherwise. Every message it gives out has the
/// password taken out.
final class PostgresConnection {
    private let link: any PostgresLink
    /// Removed from every message before it leaves the driver.
    private let password: String?
    /// Server notices (`RAISE NOTICE`, warnings), already redacted.
    var onNotice: (String) -> Void = { _ in }

    /// What `application_name` is unless the connection string sets one.
    static let applicationName = "strata"

    /// What to connect with: the connection string, and what a configuration file sets on top.
    struct Settings {
        let conninfo: String
        let user: String?
        let password: String?
        /// Another database on the same server, in place of the connection string's.
        var database: String? = nil
    }

    init(_ settings: Settings) throws(DatabaseError) {
        let plan = WireConnectionOptions.plan(
            conninfo: settings.conninfo, user: settings.user, password: settings.password, database: settings.database,
            fallbackApplicationName: Self.applicationName, environment: Self.environment(), systemUser: Self.systemUser(),
            homeDirectory: Self.homeDirectory())
        if case .wire(let options) = plan {
            do {
                link = try WireConnection(options)
                password = options.password?.isEmpty == false ? options.password : nil
                listenForNotices()
                return
            } catch {
                if case .failed(let message) = error {
                    throw Self.connectionError(message, passwords: [options.password] + PasswordMask.passwords(in: settings.conninfo))
                }
            }
        }
        do {
            let libpq = try LibpqLink(settings)
            link = libpq
            password = libpq.password
        } catch {
            throw Self.connectionError(error.message, passwords: [settings.password] + PasswordMask.passwords(in: settings.conninfo))
        }
        listenForNotices()
    }

    private func listenForNotices() {
        link.onNotice = { [unowned self] severity, message in
            onNotice(redact("\(severity): \(message)"))
        }
    }

    /// `passwords`: the one given apart and those the connection string spells; libpq quotes
    /// a string it cannot parse, or the piece it stumbled on, in its message.
    private static func connectionError(_ message: String, passwords: [String?]) -> DatabaseError {
        let cleaned = Redactor(passwords: passwords).clean(message)
        return DatabaseError(
            message: "cannot connect to PostgreSQL: \(sentence(cleaned)) Check the URL (or the PG* variables), that the server runs, and the credentials")
    }

    /// libpq's message as one sentence of an error paragraph: its lines (it indents the
    /// second with a tab) joined, ending with one mark of punctuation.
    static func sentence(_ message: String) -> String {
        let joined = message.split(whereSeparator: \.isNewline).map { SQLText.trimmed($0) }.filter { !$0.isEmpty }.joined(separator: " ")
        return joined.last.map { ".?!".contains($0) } == true ? joined : joined + "."
    }

    func redact(_ text: String) -> String {
        Redactor(password: password).clean(text)
    }

    /// `user@host:port/database`, for people to read: never the password.
    var display: String {
        let address = link.address
        return "postgresql://\(address.user)@\(address.host.hasPrefix("/") ? "[\(address.host)]" : address.host):\(address.port)/\(address.database)"
    }

    /// Whether Strata's own protocol client serves this session (else libpq does).
    var isWireProtocolClient: Bool { link is WireConnection }

    var backendPID: Int32 { link.backendPID }
    var inTransaction: Bool { link.inTransaction }

    // MARK: Running statements

    /// Runs one statement with text parameters and returns its rows as text (nil for NULL).
    func run(_ sql: String, _ parameters: [String?] = []) throws(DatabaseError) -> [[String?]] {
        var rows: [[String?]] = []
        try run(sql, parameters) { rows.append($0) }
        return rows
    }

    /// Runs one statement, handing each row to `row` as it arrives, so that a long result is
    /// never held whole (the history of 10,000 migrations was 3.9 MB of text at once).
    func run(_ sql: String, _ parameters: [String?], row: ([String?]) -> Void) throws(DatabaseError) {
        if let failure = link.execute(sql, parameters, row: row) { throw error(failure, sql: sql) }
    }

    /// Runs statements without parameters in one message, one round trip: stops at the first
    /// that fails, whose error it throws, naming `subject` as the statement that ran.
    func runAll(_ statements: [String], subject: String?) throws(DatabaseError) {
        if let failure = link.send(statements.joined(separator: ";\n"), copyData: nil, whenSlow: nil) {
            throw error(failure, sql: subject)
        }
    }

    /// Sends one statement of a script (with the data of its `COPY … FROM STDIN`), calling
    /// `whenSlow` once if it has not finished after 25 ms; its failure, redacted.
    func send(_ sql: String, copyData: String?, whenSlow: @escaping () -> Void) -> StatementFailure? {
        link.send(sql, copyData: copyData, whenSlow: whenSlow).map { StatementFailure(message: redact($0.message), code: $0.code) }
    }

    private func error(_ failure: StatementFailure, sql: String?) -> DatabaseError {
        DatabaseError(message: redact(failure.message), code: failure.code, sql: sql)
    }

    /// A statement of Strata's own with its `$n` parameters replaced by literals quoted for
    /// this connection, so that it can share a message with others. Quoted names and strings
    /// in the statement are left as they are.
    func inline(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> String {
        // Read as UTF-8 bytes: by Characters this was 1,000 instructions a byte, 14 % of
        // applying 1,000 migrations (one history row each).
        let bytes = Array(sql.utf8)
        var output = ""
        output.reserveCapacity(bytes.count)
        var quote: UInt8?
        var copied = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "$") {
                let end = bytes[index...].firstIndex { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? bytes.count
                let digits = String(decoding: bytes[index..<end], as: UTF8.self)
                guard let number = Int(digits), parameters.indices.contains(number - 1) else {
                    throw DatabaseError(message: "the statement has no parameter $\(digits)", sql: sql)
                }
                output += String(decoding: bytes[copied..<(index - 1)], as: UTF8.self)
                output += try literal(parameters[number - 1])
                index = end
                copied = end
            }
        }
        output += String(decoding: bytes[copied...], as: UTF8.self)
        return output
    }

    private func literal(_ value: String?) throws(DatabaseError) -> String {
        guard let value else { return "NULL" }
        guard let quoted = link.literal(value) else {
            throw DatabaseError(message: "cannot quote a parameter for this connection's encoding")
        }
        return quoted
    }

    // MARK: The process's side

    /// The variables libpq reads (`PG*`, and `KRB5CCNAME` for Kerberos), from the environment.
    private static func environment() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if text.hasPrefix("PG") || text.hasPrefix("KRB5CCNAME="), let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }

    /// The operating-system user, libpq's default database user.
    private static func systemUser() -> String {
        getpwuid(geteuid()).flatMap { $0.pointee.pw_name }.map { String(cString: $0) } ?? ""
    }

    /// Where `.pgpass` is looked for: `HOME`, else the user's home directory.
    private static func homeDirectory() -> String? {
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) }
        return getpwuid(geteuid()).flatMap { $0.pointee.pw_dir }.map { String(cString: $0) }
    }
}

/// Takes passwords out of any text that may reach a user or a log.
struct Redactor {
    /// The longest first, so that a shorter one inside it cannot leave the rest showing.
    private let passwords: [String]

    init(password: String?) {
        self.init(passwords: [password])
    }

    init(passwords: [String?]) {
        self.passwords = passwords.compactMap { $0 }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    func clean(_ text: String) -> String {
        passwords.reduce(text) { $0.split(separator: $1, omittingEmptySubsequences: false).joined(separator: "***") }
    }
}
