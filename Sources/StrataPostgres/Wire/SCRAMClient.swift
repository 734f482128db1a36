import StrataDigests

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it: no channel
/// binding (GS2 header `n,,`), and an empty user name, since the server takes the user from the
/// startup message.
///
/// The password goes in as its UTF-8 bytes. SASLprep (RFC 4013) leaves printable ASCII
/// unchanged, and a password with other characters is left to libpq (see
/// ``WireConnectionOptions``), so no normalisation is done here.
struct SCRAMClient {
    private let password: String
    private let nonce: String
    /// The signature the server must prove it knows, once the client's final message is made.
    private var expectedServerSignature: [UInt8]?

    /// `nonce` must be printable ASCII without commas; ``randomNonce()`` makes one.
    init(password: String, nonce: String) {
        self.password = password
        self.nonce = nonce
    }

    /// 18 random bytes in Base64, as libpq sends.
    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64.encode((0..<18).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private var clientFirstBare: String { "n=,r=\(nonce)" }

    /// The SASLInitialResponse's data.
    var clientFirstMessage: [UInt8] { Array(("n,," + clientFirstBare).utf8) }

    /// The SASLResponse's data that answers the server's challenge (AuthenticationSASLContinue):
    /// the channel binding, the combined nonce and the proof that the client knows the password.
    mutating func clientFinalMessage(serverFirst: [UInt8]) throws(SCRAMError) -> [UInt8] {
        guard let text = String(validating: serverFirst, as: UTF8.self) else { throw .malformedServerFirst }
        let attributes = text.split(separator: ",", omittingEmptySubsequences: false)
        // `m=` (a mandatory extension) is reserved: no server may send it to this client.
        guard attributes.count >= 3, let serverNonce = Self.value("r", attributes[0]),
              let salt = Self.value("s", attributes[1]).flatMap({ Base64.decode($0) }), !salt.isEmpty,
              let iterationText = Self.value("i", attributes[2])
        else { throw .malformedServerFirst }
        guard serverNonce.count > nonce.count, serverNonce.hasPrefix(nonce),
              serverNonce.utf8.allSatisfy({ (0x21...0x7e).contains($0) })
        else { throw .nonceMismatch }
        guard iterationText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let iterations = Int(iterationText), iterations >= 1
        else { throw .invalidIterationCount }

        let withoutProof = "c=biws,r=\(serverNonce)"
        let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
        let saltedPassword = PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations)
        let keys = HMACSHA256(key: saltedPassword)
        let clientKey = keys.code(Array("Client Key".utf8))
        let clientSignature = HMACSHA256(key: SHA256.digest(clientKey)).code(authMessage)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        expectedServerSignature = HMACSHA256(key: keys.code(Array("Server Key".utf8))).code(authMessage)
        return Array("\(withoutProof),p=\(Base64.encode(proof))".utf8)
    }

    /// Checks the server's last message (AuthenticationSASLFinal): it must prove that the server
    /// knows the password too, or report why it refused.
    func verify(serverFinal: [UInt8]) throws(SCRAMError) {
        guard let expectedServerSignature else { throw .outOfOrder }
        guard let text = String(validating: serverFinal, as: UTF8.self),
              let first = text.split(separator: ",", omittingEmptySubsequences: false).first
        else { throw .malformedServerFinal }
        if let reason = Self.value("e", first) { throw .serverError(String(reason)) }
        guard let signature = Self.value("v", first).flatMap({ Base64.decode($0) }), !signature.isEmpty else { throw .malformedServerFinal }
        guard signature == expectedServerSignature else { throw .serverSignatureMismatch }
    }

    /// The value of a `name=value` attribute, or nil if `attribute` is another one.
    private static func value(_ name: Character, _ attribute: Substring) -> Substring? {
        guard attribute.count >= 2, attribute.first == name, attribute.dropFirst().first == "=" else { return nil }
        return attribute.dropFirst(2)
    }
}

extension SCRAMClient: CustomStringConvertible {
    /// Says which exchange without showing the password or the keys derived from it.
    var description: String { "SCRAM-SHA-256 exchange with nonce \(nonce)" }
}

/// Why a SCRAM exchange with the server failed.
enum SCRAMError: Error, Equatable, CustomStringConvertible {
    case malformedServerFirst
    case nonceMismatch
    case invalidIterationCount
    case malformedServerFinal
    case serverSignatureMismatch
    case serverError(String)
    case outOfOrder

    var description: String {
        switch self {
        case .malformedServerFirst:
            "The server's SCRAM challenge is not `r=…,s=…,i=…` with a Base64 salt, so the password cannot be checked."
        case .nonceMismatch:
            "The server's SCRAM nonce does not extend the one the client sent, so the exchange may have been tampered with."
        case .invalidIterationCount:
            "The server's SCRAM iteration count is not a positive whole number."
        case .malformedServerFinal:
            "The server's last SCRAM message carries neither a Base64 signature (`v=`) nor an error (`e=`)."
        case .serverSignatureMismatch:
            "The server's SCRAM signature is wrong: it does not know the password, so the connection is not trusted."
        case .serverError(let reason):
            "The server refused the SCRAM authentication: \(reason)."
        case .outOfOrder:
            "The server sent its final SCRAM message before its challenge was answered."
        }
    }
}
