/// A migration version such as `1`, `1.1` or `2024.05.01.3`.
///
/// Parts are compared as integers of any size, so `1.10` sorts after `1.9` and a timestamp
/// version never overflows. Leading zeros and trailing zero parts do not count: `007` equals
/// `7` and `1` equals `1.0`. ``text`` keeps the digits as written, with `_` turned into `.`,
/// because that is what Flyway stores in its history table.
public struct MigrationVersion: Sendable, CustomStringConvertible {
    /// The version as written in the file name, with `_` separators normalized to `.`.
    public let text: String
    /// The comparison key: the parts as numbers, trailing zero parts dropped.
    private let key: Key

    /// One part of a version. Parts of up to 18 digits are held as integers, which covers
    /// every real version and compares fast; longer ones keep their digits.
    private enum Part: Hashable, Comparable {
        case small(UInt64)
        /// Significant digits (no leading zeros), more than 18 of them: larger than any `small`.
        case large([UInt8])

        static func < (lhs: Part, rhs: Part) -> Bool {
            switch (lhs, rhs) {
            case (.small(let l), .small(let r)): l < r
            case (.small, .large): true
            case (.large, .small): false
            case (.large(let l), .large(let r)): l.count != r.count ? l.count < r.count : l.lexicographicallyPrecedes(r)
            }
        }

        var isZero: Bool { self == .small(0) }
    }

    /// The parts, without a heap allocation for the versions nearly everyone writes (`7`,
    /// `1.2`, a timestamp): catalogs and histories hold one per migration.
    private enum Key: Hashable {
        /// At most two parts of up to 18 digits, a missing second part as 0.
        case pair(UInt64, UInt64)
        /// Anything longer, trailing zero parts dropped.
        case list([Part])

        init(_ parts: [Part]) {
            switch parts.count {
            case 0: self = .pair(0, 0)
            case 1: if case .small(let major) = parts[0] { self = .pair(major, 0) } else { self = .list(parts) }
            case 2: if case .small(let major) = parts[0], case .small(let minor) = parts[1] { self = .pair(major, minor) } else { self = .list(parts) }
            default: self = .list(parts)
            }
        }

        var parts: [Part] {
            switch self {
            case .pair(let major, 0): major == 0 ? [] : [.small(major)]
            case .pair(let major, let minor): [.small(major), .small(minor)]
            case .list(let parts): parts
            }
        }

        static func < (lhs: Key, rhs: Key) -> Bool {
            if case .pair(let l1, let l2) = lhs, case .pair(let r1, let r2) = rhs { return (l1, l2) < (r1, r2) }
            return lhs.parts.lexicographicallyPrecedes(rhs.parts)
        }
    }

    /// Parses `1`, `1.2`, `1_2` or `009.4`; returns nil for anything else (`1.`, `.1`, `1..2`, `1a`).
    public init?(_ raw: String) {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(raw.utf8.count)
        var parts: [Part] = []
        var digits: [UInt8] = []
        func closePart() -> Bool {
            guard !digits.isEmpty else { return false }
            let significant = digits.drop { $0 == UInt8(ascii: "0") }
            if significant.count <= 18 {
                parts.append(.small(significant.reduce(0) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }))
            } else {
                parts.append(.large(Array(significant)))
            }
            digits.removeAll(keepingCapacity: true)
            return true
        }
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                normalized.append(byte)
            case UInt8(ascii: "."), UInt8(ascii: "_"):
                guard closePart() else { return nil }
                normalized.append(UInt8(ascii: "."))
            default:
                return nil
            }
        }
        guard closePart() else { return nil }
        while parts.last?.isZero == true { parts.removeLast() }
        self.text = String(decoding: normalized, as: UTF8.self)
        self.key = Key(parts)
    }

    /// The version as stored in the history: ``text``.
    public var description: String { text }
}

extension MigrationVersion: Hashable {
    /// Whether two versions are the same number: `1.0` equals `1`, `007` equals `7`.
    public static func == (lhs: MigrationVersion, rhs: MigrationVersion) -> Bool {
        lhs.key == rhs.key
    }

    /// Hashes the parts that equality compares, so `1` and `1.0` share a hash.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }
}

extension MigrationVersion: Comparable {
    /// Whether `lhs` comes first, comparing part by part as numbers (`1.9` < `1.10`).
    public static func < (lhs: MigrationVersion, rhs: MigrationVersion) -> Bool {
        lhs.key < rhs.key
    }
}

extension MigrationVersion {
    /// The next whole version above this one: `2.5` → `3`, `20240101` → `20240102`.
    var nextMajor: String {
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
