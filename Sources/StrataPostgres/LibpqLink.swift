import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Strata

/// A session through libpq, loaded on first use: for the connections Strata's own client
/// does not make (TLS, Kerberos, service files, several hosts, no host named), exactly as
/// `psql` would open them.
final class LibpqLink: PostgresLink {
    private let handle: OpaquePointer
    var onNotice: (String, String) -> Void = { _, _ in }
    /// The password libpq found, in the connection string or `.pgpass`, to take out of messages.
    let password: String?

    /// Connects; the error is libpq's message as it wrote it, without the password.
    init(_ settings: PostgresConnection.Settings) throws(StatementFailure) {
        guard strata_libpq_available() == 1 else {
            throw StatementFailure(message: "PostgreSQL's client library libpq.so.5 is not installed; install libpq5 (Debian) to use this connection")
        }
        // libpq reads the expanded connection string first; later keywords override it.
        var keywords = ["dbname"], values = [settings.conninfo]
        if let user = settings.user { keywords.append("user"); values.append(user) }
        // Only the first `dbname` is read as a connection string; a later one is a plain name.
        if let database = settings.database { keywords.append("dbname"); values.append(database) }
        if let password = settings.password { keywords.append("password"); values.append(password) }
        keywords.append("fallback_application_name")
        values.append(PostgresConnection.applicationName)
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw StatementFailure(message: "libpq could not allocate a connection") }
        let found = settings.password ?? Self.password(of: settings.conninfo) ?? PQpass(connection).map { String(cString: $0) }
        let password = found?.isEmpty == false ? found : nil
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Redactor(password: password).clean(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw StatementFailure(message: message)
        }
        self.password = password
        handle = connection
        PQsetNoticeReceiver(connection, { context, result in
            guard let context, let result else { return }
            let link = Unmanaged<LibpqLink>.fromOpaque(context).takeUnretainedValue()
            let severity = PQresultErrorField(result, Int32(UInt8(ascii: "S"))).map { String(cString: $0) } ?? "NOTICE"
            let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
            link.onNotice(severity, message)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        PQfinish(handle)
    }

    var address: PostgresAddress {
        PostgresAddress(user: PQuser(handle).map { String(cString: $0) } ?? "", host: PQhost(handle).map { String(cString: $0) } ?? "",
                        port: PQport(handle).map { String(cString: $0) } ?? "", database: PQdb(handle).map { String(cString: $0) } ?? "")
    }

    var backendPID: Int32 { PQbackendPID(handle) }
    var inTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    func execute(_ sql: String, _ parameters: [String?], row: ([String?]) -> Void) -> StatementFailure? {
        let result = withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { return failure(result) }
        let columns = PQnfields(result)
        for index in 0..<PQntuples(result) {
            row((0..<columns).map { column in
                PQgetisnull(result, index, column) == 1 ? nil : String(cString: PQgetvalue(result, index, column))
            })
        }
        return nil
    }

    func send(_ sql: String, copyData: String?, whenSlow: (() -> Void)?) -> StatementFailure? {
        guard PQsendQuery(handle, sql) == 1 else { return failure(nil) }
        var slow = whenSlow
        var first: StatementFailure?
        while true {
            waitForResult(slow: &slow)
            guard let result = PQgetResult(handle) else { break }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COPY_IN:
                let data = Array((copyData ?? "").utf8)
                let sent = data.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
                }
                if sent != 1 || PQputCopyEnd(handle, nil) != 1 {
                    first = first ?? failure(nil)
                }
            case PGRES_COPY_OUT:
                // Until its data is read, libpq hands back this same result forever.
                discardedCopyOutput(rows: drainCopyOutput())
            case PGRES_FATAL_ERROR:
                first = first ?? failure(result)
            default:
                continue
            }
        }
        return first
    }

    /// Reads a `COPY … TO STDOUT`'s rows to their end (an error ends them too; its result
    /// follows). Returns how many there were.
    private func drainCopyOutput() -> Int {
        var rows = 0
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if let buffer { PQfreemem(buffer) }
            guard length >= 0 else { return rows }
            rows += 1
        }
    }

    /// Waits until a result is ready, calling `slow` (then forgetting it) once 25 ms have passed.
    private func waitForResult(slow: inout (() -> Void)?) {
        let clock = ContinuousClock()
        let start = clock.now
        while PQconsumeInput(handle) == 1 && PQisBusy(handle) == 1 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 50)
            if let call = slow, clock.now - start > .milliseconds(25) {
                slow = nil
                call()
            }
        }
    }

    func literal(_ value: String) -> String? {
        guard let quoted = PQescapeLiteral(handle, value, value.utf8.count) else { return nil }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// The server's fields, or libpq's own message when there is no result to read them from.
    private func failure(_ result: OpaquePointer?) -> StatementFailure {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        guard let primary = field("M") else {
            return StatementFailure(message: SQLText.trimmed(String(cString: PQerrorMessage(handle))))
        }
        return StatementFailure(primary: primary, detail: field("D"), hint: field("H"), code: field("C"))
    }

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
