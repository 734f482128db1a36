@testable import StrataPostgres
import Testing

/// The bytes Strata's protocol client sends and how it reads the server's, without a server.
@Suite struct WireMessagesTests {
    @Test func theStartupMessageHasALengthTheVersionAndZeroTerminatedPairs() {
        let message = FrontendMessage.startup([(name: "user", value: "app"), (name: "database", value: "shop")])
        let body = Array("user\0app\0database\0shop\0\0".utf8)
        #expect(message == bigEndian(Int32(8 + body.count)) + bigEndian(Int32(196_608)) + body)
    }

    @Test func anSSLRequestIsEightBytes() {
        #expect(FrontendMessage.sslRequest == [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F])
    }

    @Test func aQueryIsTypedAndCountsItsOwnLength() {
        #expect(FrontendMessage.query("SELECT 1") == [UInt8(ascii: "Q")] + bigEndian(Int32(13)) + Array("SELECT 1\0".utf8))
    }

    @Test func parametersAreBoundAsTextWithNullAsMinusOne() {
        let bytes = FrontendMessage.execute("SELECT $1, $2", parameters: ["é", nil])
        let messages = split(bytes)
        #expect(messages.map(\.type) == ["P", "B", "E", "S"])
        // Portal and statement unnamed, no format codes, two values: "é" (2 bytes) and NULL.
        #expect(messages[1].body == [0, 0, 0, 0, 0, 2] + bigEndian(Int32(2)) + Array("é".utf8) + bigEndian(Int32(-1)) + [0, 0])
        #expect(messages[2].body == [0] + bigEndian(Int32(0)))
        #expect(messages[3].body.isEmpty)
    }

    @Test func copyDataAndItsEndAreTwoMessages() {
        #expect(split(FrontendMessage.copyData(Array("1\ta\n".utf8)) + FrontendMessage.copyDone).map(\.type) == ["d", "c"])
    }

    @Test func aDataRowKeepsNullApartFromTheEmptyString() throws {
        let body: [UInt8] = [0, 3] + bigEndian(Int32(-1)) + bigEndian(Int32(0)) + bigEndian(Int32(2)) + Array("42".utf8)
        #expect(try BackendMessage.decode(type: UInt8(ascii: "D"), body: body[...]) == .dataRow([nil, "", "42"]))
    }

    /// A known message cut short ends the session with libpq's words; an unknown type is read past.
    @Test func aTruncatedKnownMessageIsAnErrorAndAnUnknownOneIsSkipped() throws {
        let body: [UInt8] = [0, 1] + bigEndian(Int32(5)) + Array("ab".utf8)
        let error = #expect(throws: MalformedMessage.self) { try BackendMessage.decode(type: UInt8(ascii: "D"), body: body[...]) }
        #expect(error?.message == "message contents do not agree with length in message type \"D\"")
        for type in ["R", "S", "K", "Z"] {
            #expect(throws: MalformedMessage(type: UInt8(ascii: Unicode.Scalar(type)!))) {
                try BackendMessage.decode(type: UInt8(ascii: Unicode.Scalar(type)!), body: [UInt8]()[...])
            }
        }
        #expect(try BackendMessage.decode(type: UInt8(ascii: "v"), body: [1, 2][...]) == nil)
    }

    @Test func authenticationRequestsAreDecoded() {
        func decode(_ body: [UInt8]) -> BackendMessage? { try? BackendMessage.decode(type: UInt8(ascii: "R"), body: body[...]) }
        #expect(decode(bigEndian(Int32(0))) == .authentication(.ok))
        #expect(decode(bigEndian(Int32(3))) == .authentication(.cleartextPassword))
        #expect(decode(bigEndian(Int32(5)) + [1, 2, 3, 4]) == .authentication(.md5Password(salt: [1, 2, 3, 4])))
        #expect(decode(bigEndian(Int32(10)) + Array("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0".utf8))
                == .authentication(.sasl(mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"])))
        #expect(decode(bigEndian(Int32(11)) + Array("r=abc".utf8)) == .authentication(.saslContinue(Array("r=abc".utf8))))
        #expect(decode(bigEndian(Int32(7))) == .authentication(.unsupported(code: 7)))
    }

    @Test func errorFieldsAreReadByTheirCodes() {
        let body = Array("SERROR\0C42P01\0Mrelation \"x\" does not exist\0Hcreate it first\0\0".utf8)
        guard case .error(let fields) = try? BackendMessage.decode(type: UInt8(ascii: "E"), body: body[...]) else {
            Issue.record("not an error")
            return
        }
        #expect(fields["S"] == "ERROR" && fields["C"] == "42P01" && fields["H"] == "create it first")
        #expect(StatementFailure(server: fields).message == "relation \"x\" does not exist (hint: create it first)")
        #expect(StatementFailure(server: fields).code == "42P01")
    }

    @Test func readyForQueryCarriesTheTransactionStatus() throws {
        #expect(try BackendMessage.decode(type: UInt8(ascii: "Z"), body: [UInt8(ascii: "T")][...]) == .readyForQuery(transactionStatus: UInt8(ascii: "T")))
    }

    @Test func literalsAreQuotedAsPQescapeLiteralQuotesThem() {
        #expect(WireConnection.quoted("it's") == "'it''s'")
        #expect(WireConnection.quoted(#"C:\dir's"#) == #" E'C:\\dir''s'"#)
        #expect(WireConnection.quoted("") == "''")
    }

    private func bigEndian(_ value: Int32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Cuts typed messages apart: (type, body).
    private func split(_ bytes: [UInt8]) -> [(type: Character, body: [UInt8])] {
        var messages: [(type: Character, body: [UInt8])] = []
        var index = 0
        while index + 5 <= bytes.count {
            let length = bytes[(index + 1)...(index + 4)].reduce(0) { $0 << 8 | Int($1) }
            messages.append((Character(Unicode.Scalar(bytes[index])), Array(bytes[(index + 5)..<(index + 1 + length)])))
            index += 1 + length
        }
        return messages
    }
}
