import StrataDigests
import Testing

/// The published test vectors of each digest, and Base64 both ways.
@Suite struct DigestTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// FIPS 180-2 appendix B and RFC 6234's test suite.
    @Test func sha256MatchesTheStandardVectors() {
        #expect(hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.digest([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(SHA256.digest(Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(hex(SHA256.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256FedInPiecesEqualsTheWholeMessage() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for split in [0, 1, 55, 56, 63, 64, 65, 128, 299] {
            var hash = SHA256()
            hash.update(message[..<split])
            hash.update(message[split...])
            #expect(hash.finalize() == SHA256.digest(message), "split at \(split)")
        }
    }

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than a block).
    @Test func hmacSHA256MatchesRFC4231() {
        #expect(hex(HMACSHA256(key: [UInt8](repeating: 0x0b, count: 20)).code(Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(hex(HMACSHA256(key: Array("Jefe".utf8)).code(Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(hex(HMACSHA256(key: [UInt8](repeating: 0xaa, count: 131)).code(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// RFC 7914 section 11's first vector (64 bytes, so two blocks), and the widely published
    /// SHA-256 counterparts of RFC 6070's PBKDF2 vectors (2 and 4096 iterations; RFC 7914's
    /// 80,000-iteration vector takes over ten seconds in a debug build).
    @Test func pbkdf2MatchesThePublishedVectors() {
        #expect(PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64) == bytes(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"))
        #expect(PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 2)
                == bytes("ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"))
        #expect(PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096)
                == bytes("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"))
    }

    /// RFC 1321's test suite.
    @Test func md5MatchesRFC1321() {
        #expect(MD5.hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex("a") == "0cc175b9c0f1b6a831c399e269772661")
        #expect(MD5.hex("abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0")
        #expect(MD5.hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b")
        #expect(MD5.hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == "d174ab98d277d9f5a5611c2c9f419d9f")
        #expect(MD5.hex(String(repeating: "1234567890", count: 8)) == "57edf4a22be3c955ac49da2e2107b67a")
    }

    /// RFC 4648 section 10's vectors, both ways.
    @Test func base64RoundTripsRFC4648() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.decode("/+8=") == [0xff, 0xef])
    }

    @Test func base64RefusesWhatIsNotCanonical() {
        for text in ["Zg=", "Zg", "Z===", "Zm9v=Zg=", "Zh==", "Zm8*", "Zg==Zg==", " Zg=="] {
            #expect(Base64.decode(text) == nil, "\(text)")
        }
    }
}
