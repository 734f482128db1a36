@testable import StrataPostgres
import Testing

/// SCRAM-SHA-256 as PostgreSQL runs it, and the md5 password answer; no server needed.
@Suite struct SCRAMClientTests {
    /// RFC 7677 section 3's exchange, with the empty user name PostgreSQL's clients send
    /// (`n=,` where the RFC has `n=user,`): the proof and server signature change with the
    /// client-first message, so they were computed with Python's hashlib and hmac:
    /// `pbkdf2_hmac("sha256", b"pencil", b64decode(salt), 4096)`, then RFC 5802's formulas over
    /// the AuthMessage `n=,r=<nonce>,<server-first>,c=biws,r=<server nonce>`. The same script
    /// with `n=user,` gives the RFC's own values.
    static let serverNonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    static let serverFirst = Array("r=\(serverNonce),s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".utf8)
    static let serverFinal = Array("v=3HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg=".utf8)

    private func client() -> SCRAMClient { SCRAMClient(password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO") }

    @Test func theExchangeMatchesRFC7677WithAnEmptyUserName() throws {
        var client = client()
        #expect(String(decoding: client.clientFirstMessage, as: UTF8.self) == "n,,n=,r=rOprNGfwEbeRWgbNEkqO")
        let final = try client.clientFinalMessage(serverFirst: Self.serverFirst)
        #expect(String(decoding: final, as: UTF8.self)
                == "c=biws,r=\(Self.serverNonce),p=qvT2SWdEH5Q06albL+hjSYuUhCG7VndFyzIb7CK4n9k=")
        try client.verify(serverFinal: Self.serverFinal)
        try client.verify(serverFinal: Self.serverFinal + Array(",x=extension".utf8))
    }

    @Test func aWrongServerSignatureOrAServerErrorFails() throws {
        var client = client()
        _ = try client.clientFinalMessage(serverFirst: Self.serverFirst)
        #expect(throws: SCRAMError.serverSignatureMismatch) {
            try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        }
        #expect(throws: SCRAMError.serverError("invalid-proof")) { try client.verify(serverFinal: Array("e=invalid-proof".utf8)) }
        for malformed in ["", "v=", "v=not base64!", "x=1", "3HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg="] {
            #expect(throws: SCRAMError.malformedServerFinal, "\(malformed)") { try client.verify(serverFinal: Array(malformed.utf8)) }
        }
    }

    @Test func theServerFinalMessageBeforeTheChallengeIsRefused() {
        #expect(throws: SCRAMError.outOfOrder) { try client().verify(serverFinal: Self.serverFinal) }
    }

    @Test func aServerNonceThatDoesNotExtendOursIsRefused() {
        for nonce in ["rOprNGfwEbeRWgbNEkqO", "XOprNGfwEbeRWgbNEkqO%hvY", "rOprNGfw", "rOprNGfwEbeRWgbNEkqO é"] {
            var client = client()
            #expect(throws: SCRAMError.nonceMismatch, "\(nonce)") {
                try client.clientFinalMessage(serverFirst: Array("r=\(nonce),s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".utf8))
            }
        }
    }

    @Test func malformedChallengesAndIterationCountsAreRefused() {
        let nonce = "r=\(Self.serverNonce)"
        let malformed = ["", "m=ext,\(nonce),s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "\(nonce),i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==",
                         "\(nonce),s=,i=4096", "\(nonce),s=W22Z!,i=4096", "\(nonce),s=W22ZaJ0SNY7soEsUEjb6gQ==", "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"]
        for text in malformed {
            var client = client()
            #expect(throws: SCRAMError.malformedServerFirst, "\(text)") { try client.clientFinalMessage(serverFirst: Array(text.utf8)) }
        }
        for count in ["0", "-1", "", "4096x", "+5", "99999999999999999999999"] {
            var client = client()
            #expect(throws: SCRAMError.invalidIterationCount, "\(count)") {
                try client.clientFinalMessage(serverFirst: Array("\(nonce),s=W22ZaJ0SNY7soEsUEjb6gQ==,i=\(count)".utf8))
            }
        }
        var client = client()
        #expect(throws: SCRAMError.malformedServerFirst) { try client.clientFinalMessage(serverFirst: [0x72, 0x3d, 0xff]) }
    }

    @Test func theClientsDescriptionHidesThePassword() throws {
        var client = client()
        _ = try client.clientFinalMessage(serverFirst: Self.serverFirst)
        #expect(!String(describing: client).contains("pencil") && !String(reflecting: client).contains("pencil"))
    }

    @Test func randomNoncesAre18BytesOfBase64AndDiffer() {
        let first = SCRAMClient.randomNonce(), second = SCRAMClient.randomNonce()
        #expect(first.count == 24 && !first.contains("=") && first != second)
    }

    /// Expected value from Python: `"md5" + md5(md5(b"s3cret" + b"app").hexdigest().encode()
    /// + bytes([0x93, 0x1f, 0x00, 0xab])).hexdigest()`.
    @Test func theMD5AnswerHashesPasswordUserAndSalt() {
        #expect(md5Password(user: "app", password: "s3cret", salt: [0x93, 0x1f, 0x00, 0xab]) == "md5c730f51c5868363be4ff18e72479e3c2")
    }
}
