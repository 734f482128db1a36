/// The messages of PostgreSQL's frontend/backend protocol 3.0 that Strata sends, as bytes.
///
/// Every message but the first is a type byte and a big-endian length that counts itself;
/// strings end with a zero byte. Values travel as text, as libpq sends them by default.
enum FrontendMessage {
    /// The protocol version 3.0 that the startup message asks for.
    static let protocolVersion: Int32 = 196_608
    /// The code an `SSLRequest` carries in place of a protocol version.
    static let sslRequestCode: Int32 = 80_877_103

    /// `StartupMessage`: the protocol version, then name/value pairs.
    static func startup(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        var body = MessageBody()
        body.int32(protocolVersion)
        for parameter in parameters {
            body.string(parameter.name)
            body.string(parameter.value)
        }
        body.byte(0)
        return body.untyped()
    }

    /// `SSLRequest`: asks whether the server speaks TLS on this connection.
    static var sslRequest: [UInt8] {
        var body = MessageBody()
        body.int32(sslRequestCode)
        return body.untyped()
    }

    /// `PasswordMessage`: a cleartext or MD5 password.
    static func password(_ text: String) -> [UInt8] {
        var body = MessageBody()
        body.string(text)
        return body.typed("p")
    }

    /// `SASLInitialResponse`: the mechanism chosen and its first message.
    static func saslInitialResponse(mechanism: String, _ data: [UInt8]) -> [UInt8] {
        var body = MessageBody()
        body.string(mechanism)
        body.int32(Int32(data.count))
        body.bytes(data)
        return body.typed("p")
    }

    /// `SASLResponse`: the mechanism's next message.
    static func saslResponse(_ data: [UInt8]) -> [UInt8] {
        var body = MessageBody()
        body.bytes(data)
        return body.typed("p")
    }

    /// `Query`: one or more statements, run in the simple protocol.
    static func query(_ sql: String) -> [UInt8] {
        var body = MessageBody()
        body.string(sql)
        return body.typed("Q")
    }

    /// `Parse`, `Bind`, `Execute` and `Sync` of one statement with text parameters, unnamed, as
    /// `PQexecParams` sends them: one round trip.
    static func execute(_ sql: String, parameters: [String?]) -> [UInt8] {
        var parse = MessageBody()
        parse.string("")
        parse.string(sql)
        parse.int16(0)
        var bind = MessageBody()
        bind.string("")
        bind.string("")
        bind.int16(0)
        bind.int16(Int16(truncatingIfNeeded: parameters.count))
        for parameter in parameters {
            if let parameter {
                bind.int32(Int32(parameter.utf8.count))
                bind.bytes(parameter.utf8)
            } else {
                bind.int32(-1)
            }
        }
        bind.int16(0)
        var execute = MessageBody()
        execute.string("")
        execute.int32(0)
        return parse.typed("P") + bind.typed("B") + execute.typed("E") + MessageBody().typed("S")
    }

    /// `CopyData`.
    static func copyData(_ data: some Collection<UInt8>) -> [UInt8] {
        var body = MessageBody()
        body.bytes(data)
        return body.typed("d")
    }

    /// `CopyDone`.
    static var copyDone: [UInt8] { MessageBody().typed("c") }

    /// `Terminate`: the polite end of a session.
    static var terminate: [UInt8] { MessageBody().typed("X") }
}

/// A message body being written, in network byte order.
private struct MessageBody {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func int16(_ value: Int16) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int32(_ value: Int32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bytes(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

    mutating func string(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0)
    }

    /// The message with its type byte and length.
    func typed(_ type: Unicode.Scalar) -> [UInt8] {
        var message = [UInt8(type.value)]
        withUnsafeBytes(of: Int32(bytes.count + 4).bigEndian) { message.append(contentsOf: $0) }
        return message + bytes
    }

    /// The startup-phase form: a length, no type byte.
    func untyped() -> [UInt8] {
        var message: [UInt8] = []
        withUnsafeBytes(of: Int32(bytes.count + 4).bigEndian) { message.append(contentsOf: $0) }
        return message + bytes
    }
}

/// One message from the server, decoded as far as Strata reads it.
enum BackendMessage: Equatable {
    /// `R`: what the server asks to authenticate, or that it is done.
    case authentication(Authentication)
    /// `S`: a run-time setting the server reports, such as `standard_conforming_strings`.
    case parameterStatus(name: String, value: String)
    /// `K`: the backend's process ID (and the key for cancelling, which Strata does not use).
    case backendKeyData(processID: Int32)
    /// `Z`: ready for the next query; `I` idle, `T` in a transaction, `E` in a failed one.
    case readyForQuery(transactionStatus: UInt8)
    /// `D`: one row, every value as text or NULL.
    case dataRow([String?])
    /// `C`, `I`, `1`, `2`, `3`, `n`, `s`, `t`, `T`: progress that Strata needs no detail of.
    case progress
    /// `E`: the statement, or the connection, failed.
    case error(ServerFields)
    /// `N`: a warning or `RAISE NOTICE`.
    case notice(ServerFields)
    /// `G`: the server waits for `COPY … FROM STDIN` data.
    case copyInResponse
    /// `H`, `c`: the start and end of `COPY … TO STDOUT` output.
    case copyOut
    /// `d`: one row of `COPY … TO STDOUT` output, which Strata reads past and counts.
    case copyOutData
    /// `A`: a `NOTIFY`, which Strata ignores.
    case notification

    enum Authentication: Equatable {
        case ok
        case cleartextPassword
        case md5Password(salt: [UInt8])
        case sasl(mechanisms: [String])
        case saslContinue([UInt8])
        case saslFinal([UInt8])
        /// Kerberos, GSSAPI, SSPI: methods only libpq speaks.
        case unsupported(code: Int32)
    }

    /// Decodes a message's body; nil for a type Strata does not know (read past, as the
    /// protocol lets new message types appear).
    /// - Throws: ``MalformedMessage`` when a known type's body does not hold what the type says:
    ///   the stream can no longer be trusted, and the session has to end.
    static func decode(type: UInt8, body: ArraySlice<UInt8>) throws(MalformedMessage) -> BackendMessage? {
        var reader = MessageReader(body)
        func read<Value>(_ value: Value?) throws(MalformedMessage) -> Value {
            guard let value else { throw MalformedMessage(type: type) }
            return value
        }
        switch Unicode.Scalar(type) {
        case "R":
            let code = try read(reader.int32())
            switch code {
            case 0: return .authentication(.ok)
            case 3: return .authentication(.cleartextPassword)
            case 5: return .authentication(.md5Password(salt: Array(try read(reader.bytes(4)))))
            case 10:
                var mechanisms: [String] = []
                while case let name = try read(reader.string()), !name.isEmpty { mechanisms.append(name) }
                return .authentication(.sasl(mechanisms: mechanisms))
            case 11: return .authentication(.saslContinue(Array(reader.remainder())))
            case 12: return .authentication(.saslFinal(Array(reader.remainder())))
            default: return .authentication(.unsupported(code: code))
            }
        case "S":
            return .parameterStatus(name: try read(reader.string()), value: try read(reader.string()))
        case "K":
            return .backendKeyData(processID: try read(reader.int32()))
        case "Z":
            return .readyForQuery(transactionStatus: try read(reader.bytes(1)).first!)
        case "D":
            let count = try read(reader.int16())
            var values: [String?] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                let length = try read(reader.int32())
                values.append(length < 0 ? nil : String(decoding: try read(reader.bytes(Int(length))), as: UTF8.self))
            }
            return .dataRow(values)
        case "C", "I", "1", "2", "3", "n", "s", "t", "T":
            return .progress
        case "E":
            return .error(ServerFields(reader.remainder()))
        case "N":
            return .notice(ServerFields(reader.remainder()))
        case "G":
            return .copyInResponse
        case "H", "c":
            return .copyOut
        case "d":
            return .copyOutData
        case "A":
            return .notification
        default:
            return nil
        }
    }
}

/// A message whose body is shorter than its type requires: the session's stream is out of step.
struct MalformedMessage: Error, Equatable {
    let type: UInt8

    /// libpq's words for it.
    var message: String {
        "message contents do not agree with length in message type \"\(Character(Unicode.Scalar(type)))\""
    }
}

/// The fields of an `ErrorResponse` or `NoticeResponse`, by their one-letter codes (`M` message,
/// `C` SQLSTATE, `D` detail, `H` hint, `S` severity).
struct ServerFields: Equatable {
    private var fields: [UInt8: String] = [:]

    init(_ body: ArraySlice<UInt8>) {
        var reader = MessageReader(body)
        while let code = reader.bytes(1)?.first, code != 0, let value = reader.string() {
            fields[code] = value
        }
    }

    subscript(code: Character) -> String? {
        code.asciiValue.flatMap { fields[$0] }
    }
}

/// Reads a message body front to back; every read returns nil past the end.
private struct MessageReader {
    private var rest: ArraySlice<UInt8>

    init(_ body: ArraySlice<UInt8>) { rest = body }

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, rest.count >= count else { return nil }
        defer { rest = rest.dropFirst(count) }
        return rest.prefix(count)
    }

    mutating func int16() -> Int16? {
        bytes(2).map { Int16(bitPattern: UInt16($0.first!) << 8 | UInt16($0.last!)) }
    }

    mutating func int32() -> Int32? {
        bytes(4).map { bytes in Int32(bitPattern: bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
    }

    mutating func string() -> String? {
        guard let end = rest.firstIndex(of: 0) else { return nil }
        defer { rest = rest[rest.index(after: end)...] }
        return String(decoding: rest[..<end], as: UTF8.self)
    }

    mutating func remainder() -> ArraySlice<UInt8> {
        defer { rest = rest.suffix(0) }
        return rest
    }
}
