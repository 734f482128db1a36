#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A session spoken in PostgreSQL's frontend/backend protocol 3.0 over a Unix socket or plain
/// TCP, without libpq: libpq's dependencies (TLS, Kerberos, LDAP) cost every PostgreSQL run
/// about 4.5 MiB of memory that a connection without TLS never uses.
///
/// It authenticates with trust, a cleartext or MD5 password, or SCRAM-SHA-256. Whatever else a
/// connection meets (a server that offers TLS under `sslmode=prefer`, Kerberos, a socket that
/// refuses) hands it to libpq, which then connects or explains the failure in its own words.
final class WireConnection: PostgresLink {
    private let socket: Int32
    private var input = WireInput()
    private(set) var backendPID: Int32 = 0
    private var transactionStatus = UInt8(ascii: "I")
    let address: PostgresAddress
    var onNotice: (String, String) -> Void = { _, _ in }
    /// Why the connection can no longer be used, once it broke.
    private var broken: String?

    /// Why the wire client did not connect: libpq should try (`handOff`), or the server refused
    /// in a way libpq would report the same (`failed`, in libpq's words).
    enum OpenError: Error {
        case handOff(reason: String)
        case failed(String)
    }

    init(_ options: WireConnectionOptions) throws(OpenError) {
        address = PostgresAddress(user: options.user, host: options.host, port: String(options.port), database: options.database)
        let (socket, peer) = try Self.connect(options.endpoint, timeout: options.connectTimeout)
        self.socket = socket
        do {
            try negotiateTLS(options)
            try opening(FrontendMessage.startup(options.startupParameters.map { (name: $0.name, value: $0.value) }))
            try authenticate(options, failurePrefix: "connection to server \(peer) failed: ")
            Self.limit(socket, toSeconds: nil)
        } catch {
            // The socket is closed by deinit, which runs once every property is set.
            broken = "the connection was not established"
            throw error
        }
    }

    deinit {
        if broken == nil { _ = try? write(FrontendMessage.terminate) }
        close(socket)
    }

    var inTransaction: Bool { transactionStatus != UInt8(ascii: "I") }

    // MARK: Opening

    /// A connected socket and how libpq names the peer in its messages.
    /// `timeout` (`connect_timeout`) bounds the connection and every wait while the session opens.
    private static func connect(_ endpoint: WireConnectionOptions.Endpoint, timeout: Int?) throws(OpenError) -> (Int32, String) {
        switch endpoint {
        case .socket(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard path.utf8.count < capacity else { throw .handOff(reason: "the socket path is too long") }
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                buffer.copyBytes(from: path.utf8)
            }
            let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw .handOff(reason: "no socket") }
            limit(descriptor, toSeconds: timeout)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard connected == 0 else {
                close(descriptor)
                throw .handOff(reason: "the socket refused")
            }
            return (descriptor, "on socket \"\(path)\"")
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let list else {
                throw .handOff(reason: "the host name did not resolve")
            }
            defer { freeaddrinfo(list) }
            var candidate: UnsafeMutablePointer<addrinfo>? = list
            while let entry = candidate {
                candidate = entry.pointee.ai_next
                let descriptor = Glibc.socket(entry.pointee.ai_family, entry.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
                guard descriptor >= 0 else { continue }
                limit(descriptor, toSeconds: timeout)
                guard Glibc.connect(descriptor, entry.pointee.ai_addr, entry.pointee.ai_addrlen) == 0 else {
                    close(descriptor)
                    continue
                }
                var on: Int32 = 1
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                return (descriptor, "at \"\(host)\" (\(numericAddress(entry.pointee))), port \(port)")
            }
            throw .handOff(reason: "no address of the host accepted")
        }
    }

    /// Bounds each blocking `connect`, `send` and `recv` on the socket (Linux applies the send
    /// limit to `connect`); nil lifts the bound once the session is open.
    private static func limit(_ descriptor: Int32, toSeconds seconds: Int?) {
        var limit = timeval(tv_sec: seconds ?? 0, tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            setsockopt(descriptor, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    private static func numericAddress(_ entry: addrinfo) -> String {
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        getnameinfo(entry.ai_addr, entry.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Under `sslmode=prefer` on TCP, asks whether the server speaks TLS: if it does, libpq
    /// takes over; if not, the session goes on in the clear as libpq's would.
    private func negotiateTLS(_ options: WireConnectionOptions) throws(OpenError) {
        guard case .tcp = options.endpoint, options.sslMode == .prefer else { return }
        try opening(FrontendMessage.sslRequest)
        var answer: UInt8 = 0
        guard recv(socket, &answer, 1, 0) == 1 else { throw .handOff(reason: "no answer to the TLS request") }
        guard answer == UInt8(ascii: "N") else { throw .handOff(reason: "the server offers TLS") }
    }

    /// Answers the server's authentication requests until it is ready for queries.
    private func authenticate(_ options: WireConnectionOptions, failurePrefix: String) throws(OpenError) {
        var scram: SCRAMClient?
        /// Set once the server proved it knows the password; SCRAM's `ok` is only taken after it.
        var serverVerified = false
        func password() throws(OpenError) -> String {
            guard let password = options.password else { throw .failed(failurePrefix + "fe_sendauth: no password supplied") }
            return password
        }
        while true {
            let message: BackendMessage
            do {
                message = try read()
            } catch {
                throw .failed(failurePrefix + error.message)
            }
            switch message {
            case .authentication(.ok):
                if scram != nil && !serverVerified {
                    throw .failed(failurePrefix + "the server ended the SCRAM exchange without proving that it knows the password")
                }
            case .progress, .notice, .notification, .dataRow, .copyOut, .copyOutData, .copyInResponse:
                continue
            case .authentication(.cleartextPassword):
                try opening(FrontendMessage.password(try password()))
            case .authentication(.md5Password(let salt)):
                try opening(FrontendMessage.password(md5Password(user: options.user, password: try password(), salt: salt)))
            case .authentication(.sasl(let mechanisms)):
                guard mechanisms.contains("SCRAM-SHA-256") else {
                    throw .handOff(reason: "the server asks for SASL mechanisms \(mechanisms.joined(separator: ", "))")
                }
                let client = SCRAMClient(password: try password(), nonce: SCRAMClient.randomNonce())
                scram = client
                try opening(FrontendMessage.saslInitialResponse(mechanism: "SCRAM-SHA-256", client.clientFirstMessage))
            case .authentication(.saslContinue(let serverFirst)):
                guard var client = scram else { throw .failed(failurePrefix + "the server continued a SASL exchange that was not started") }
                let final: [UInt8]
                do {
                    final = try client.clientFinalMessage(serverFirst: serverFirst)
                } catch {
                    throw .failed(failurePrefix + String(describing: error))
                }
                scram = client
                try opening(FrontendMessage.saslResponse(final))
            case .authentication(.saslFinal(let serverFinal)):
                guard let client = scram else { throw .failed(failurePrefix + "the server ended a SASL exchange that was not started") }
                do {
                    try client.verify(serverFinal: serverFinal)
                } catch {
                    throw .failed(failurePrefix + String(describing: error))
                }
                serverVerified = true
            case .authentication(.unsupported(let code)):
                throw .handOff(reason: "authentication request \(code)")
            case .parameterStatus:
                continue
            case .backendKeyData(let processID):
                backendPID = processID
            case .readyForQuery(let status):
                transactionStatus = status
                return
            case .error(let fields):
                // Under `allow`, libpq tries again with TLS when the plain attempt is refused.
                if options.sslMode == .allow { throw .handOff(reason: "refused in the clear") }
                throw .failed(failurePrefix + "\(fields["S"] ?? "FATAL"):  \(fields["M"] ?? "")")
            }
        }
    }

    // MARK: Statements

    func execute(_ sql: String, _ parameters: [String?], row: ([String?]) -> Void) -> StatementFailure? {
        do {
            try write(FrontendMessage.execute(sql, parameters: parameters))
            return try awaitReady(copyData: nil, whenSlow: nil, row: row)
        } catch {
            return error
        }
    }

    func send(_ sql: String, copyData: String?, whenSlow: (() -> Void)?) -> StatementFailure? {
        do {
            try write(FrontendMessage.query(sql))
            return try awaitReady(copyData: copyData, whenSlow: whenSlow) { _ in }
        } catch {
            return error
        }
    }

    /// Reads the results of what was sent until the server is ready again: rows go to `row`,
    /// the first error is returned. Throws when the connection breaks.
    private func awaitReady(copyData: String?, whenSlow: (() -> Void)?, row: ([String?]) -> Void) throws(StatementFailure) -> StatementFailure? {
        var failure: StatementFailure?
        var slow = whenSlow.map { SlowCall(call: $0) }
        var copiedOut = 0
        while true {
            switch try read(slow: &slow) {
            case .copyOutData:
                copiedOut += 1
            case .dataRow(let values):
                row(values)
            case .error(let fields):
                failure = failure ?? StatementFailure(server: fields)
            case .notice(let fields):
                onNotice(fields["S"] ?? "NOTICE", fields["M"] ?? "")
            case .copyInResponse:
                try write(FrontendMessage.copyData(Array((copyData ?? "").utf8)) + FrontendMessage.copyDone)
            case .readyForQuery(let status):
                transactionStatus = status
                if copiedOut > 0 { discardedCopyOutput(rows: copiedOut) }
                return failure
            case .authentication, .parameterStatus, .backendKeyData, .progress, .copyOut, .notification:
                continue
            }
        }
    }

    func literal(_ value: String) -> String? {
        Self.quoted(value)
    }

    /// PostgreSQL's quoting, as libpq's `PQescapeLiteral` does it: quotes doubled, and a string
    /// with a backslash written `E'…'` with the backslashes doubled, whatever
    /// `standard_conforming_strings` is.
    static func quoted(_ value: String) -> String {
        let escaped = value.contains("\\")
        var quoted = escaped ? " E'" : "'"
        for character in value.unicodeScalars {
            if character == "'" || (escaped && character == "\\") { quoted.unicodeScalars.append(character) }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "'"
    }

    // MARK: Bytes

    /// The reader's hook for a slow statement: called once, 25 ms after the wait began.
    private struct SlowCall {
        let call: () -> Void
        let start = ContinuousClock.now
        var called = false
    }

    private func read() throws(StatementFailure) -> BackendMessage {
        var slow: SlowCall?
        return try read(slow: &slow)
    }

    /// The next message that Strata knows, reading from the socket as needed.
    private func read(slow: inout SlowCall?) throws(StatementFailure) -> BackendMessage {
        if let broken { throw StatementFailure(message: broken) }
        while true {
            if let (type, body) = input.nextMessage() {
                do {
                    if let message = try BackendMessage.decode(type: type, body: body) { return message }
                } catch {
                    throw breaking(error.message)
                }
                continue
            }
            if var pending = slow, !pending.called {
                let remaining = .milliseconds(25) - (ContinuousClock.now - pending.start)
                var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                let milliseconds = Int32(max(0, (remaining / .milliseconds(1)).rounded(.up)))
                if poll(&descriptor, 1, milliseconds) == 0 {
                    pending.called = true
                    slow = pending
                    pending.call()
                }
            }
            let count = input.fill(from: socket)
            if count == 0 || (count < 0 && errno == ECONNRESET) {
                throw breaking(Self.closedByServer)
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw breaking("timeout expired")
            }
            if count < 0 && errno != EINTR {
                throw breaking("could not receive data from server: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func write(_ bytes: [UInt8]) throws(StatementFailure) {
        if let broken { throw StatementFailure(message: broken) }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw breaking(Self.closedByServer) }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw breaking("timeout expired") }
                throw breaking("could not send data to server: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// ``write(_:)`` while the session opens: a broken socket there lets libpq try.
    private func opening(_ bytes: [UInt8]) throws(OpenError) {
        do {
            try write(bytes)
        } catch {
            throw .handOff(reason: error.message)
        }
    }

    /// libpq's words for a session the server ended (shut down, or `pg_terminate_backend`).
    private static let closedByServer =
        "server closed the connection unexpectedly. This probably means the server terminated abnormally before or while processing the request."

    private func breaking(_ message: String) -> StatementFailure {
        broken = message
        return StatementFailure(message: message)
    }
}

/// Bytes received and not yet read, cut into messages.
private struct WireInput {
    private var bytes: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    /// The next whole message's type and body, if all of it has arrived.
    mutating func nextMessage() -> (UInt8, ArraySlice<UInt8>)? {
        guard bytes.count - start >= 5 else { return nil }
        let length = Int(bytes[start + 1]) << 24 | Int(bytes[start + 2]) << 16 | Int(bytes[start + 3]) << 8 | Int(bytes[start + 4])
        guard bytes.count - start >= 1 + length else { return nil }
        let type = bytes[start]
        let body = bytes[(start + 5)..<(start + 1 + length)]
        start += 1 + length
        return (type, body)
    }

    /// Receives what the socket has (blocking until something): the count, 0 at its end.
    mutating func fill(from socket: Int32) -> Int {
        if start > 0 {
            bytes.removeFirst(start)
            start = 0
        }
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count > 0 { bytes.append(contentsOf: chunk[..<count]) }
        return count
    }
}
