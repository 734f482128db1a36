/// A migration version such as `1`, `1.1` or `2024.05.01.3`.
///
/// Parts are compared as integers of any size, so `1.10` sorts after `1.9` and a timestamp
/// version never overflows. Leading zeros and trailing zero parts do not count: `007` equals
/// `7` and `1` equals `1.0`. ``text`` keeps the digits as written, with `_` turned into `.`,
/// because that is what Flyway stores in its history table.
public struct MigrationVersion: Sendable, CustomStringConvertible {
    /// The version as written in the file name, with `_` separators normalized to `.`.
    public let text: String
    /// The parts without leading zeros, with trailing zero parts dropped: the comparison key.
    private let significantParts: [Substring]

    /// Parses `1`, `1.2`, `1_2` or `009.4`; returns nil for anything else (`1.`, `.1`, `1..2`, `1a`).
    public init?(_ raw: String) {
        let text = raw.replacingOccurrences(of: "_", with: ".")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty else { return nil }
        var significant: [Substring] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return nil
            }
            let trimmed = part.drop(while: { $0 == "0" })
            significant.append(trimmed)
        }
        while let last = significant.last, last.isEmpty {
            significant.removeLast()
        }
        self.text = text
        self.significantParts = significant
    }

    public var description: String { text }
}

extension MigrationVersion: Hashable {
    public static func == (lhs: MigrationVersion, rhs: MigrationVersion) -> Bool {
        lhs.significantParts == rhs.significantParts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(significantParts)
    }
}

extension MigrationVersion: Comparable {
    public static func < (lhs: MigrationVersion, rhs: MigrationVersion) -> Bool {
        for (left, right) in zip(lhs.significantParts, rhs.significantParts) where left != right {
            // Both are digit strings without leading zeros: the longer one is the larger number.
            if left.count != right.count { return left.count < right.count }
            return left < right
        }
        return lhs.significantParts.count < rhs.significantParts.count
    }
}

extension MigrationVersion {
    /// The next whole version above this one: `2.5` → `3`, `20240101` → `20240102`.
    public var nextMajor: String {
        var digits = Array(text.split(separator: ".").first.map(String.init) ?? "0")
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] == "9" {
                digits[index] = "0"
                index -= 1
            } else {
                digits[index] = Character(String(digits[index].wholeNumberValue! + 1))
                break
            }
        }
        return (index < 0 ? "1" : "") + String(digits)
    }
}
