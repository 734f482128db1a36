/// HMAC-SHA-256 (RFC 2104, RFC 4231): SCRAM's keyed hash. The key's padded blocks are hashed
/// once, and each message starts from those states.
package struct HMACSHA256 {
    private let inner: SHA256
    private let outer: SHA256

    package init(key: [UInt8]) {
        var block = key.count > SHA256.blockSize ? SHA256.digest(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockSize - block.count)
        var inner = SHA256(), outer = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        outer.update(block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// The 32-byte authentication code of `message`.
    package func code(_ message: some Collection<UInt8>) -> [UInt8] {
        var inner = self.inner, outer = self.outer
        inner.update(message)
        outer.update(inner.finalize())
        return outer.finalize()
    }
}

/// PBKDF2 with HMAC-SHA-256 (RFC 8018): SCRAM's `Hi`, which stretches a password with the
/// server's salt and iteration count.
package enum PBKDF2 {
    package static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = 32) -> [UInt8] {
        let hmac = HMACSHA256(key: password)
        var output: [UInt8] = []
        var blockIndex: UInt32 = 1
        while output.count < length {
            var previous = hmac.code(salt + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: blockIndex >> $0) })
            var block = previous
            for _ in 1..<max(iterations, 1) {
                previous = hmac.code(previous)
                for index in block.indices { block[index] ^= previous[index] }
            }
            output += block
            blockIndex += 1
        }
        return Array(output.prefix(length))
    }
}
