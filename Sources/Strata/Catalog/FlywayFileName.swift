/// The parts of a Flyway-style migration file name: `V1_2__Add_index.sql` is a versioned
/// migration, version `1.2`, description `Add index`.
struct FlywayFileName: Sendable, Equatable {
    let kind: Migration.Kind
    let version: MigrationVersion?
    let description: String

    /// What a file name is to the catalog.
    enum Classification: Sendable, Equatable {
        case migration(FlywayFileName)
        /// It starts like a migration but cannot be one; the reason says what is wrong.
        case malformed(reason: String)
        /// Not a migration file at all (a README, a callback, a helper script).
        case unrelated
    }

    static let suffix = ".sql"

    static func classify(_ fileName: String) -> Classification {
        let bytes = Array(fileName.utf8)
        guard bytes.count > suffix.count, fileName.hasSuffix(suffix), let kind = kind(forPrefix: bytes[0]) else {
            return .unrelated
        }
        let stem = bytes[1..<(bytes.count - suffix.count)]
        let separator = firstSeparator(in: stem)
        guard looksLikeMigration(kind: kind, stem: stem, hasSeparator: separator != nil) else { return .unrelated }

        let prefix = Character(Unicode.Scalar(bytes[0]))
        guard let separator else {
            return .malformed(reason: "it has no `__` between the version and the description (expected e.g. `\(prefix)2__add_users.sql`)")
        }
        let versionText = String(decoding: stem[stem.startIndex..<separator], as: UTF8.self)
        let descriptionBytes = stem[(separator + 2)...]
        let description = String(decoding: descriptionBytes.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)

        if kind == .repeatable {
            guard versionText.isEmpty else {
                return .malformed(reason: "a repeatable migration has no version (expected `R__\(String(decoding: descriptionBytes, as: UTF8.self)).sql`)")
            }
            guard !description.isEmpty else {
                return .malformed(reason: "a repeatable migration needs a description after `R__`, which is its identity")
            }
            return .migration(FlywayFileName(kind: kind, version: nil, description: description))
        }
        guard !versionText.isEmpty else {
            return .malformed(reason: "the version between `\(prefix)` and `__` is empty")
        }
        guard let version = MigrationVersion(versionText) else {
            return .malformed(reason: "`\(versionText)` is not a version: use numbers separated by `.` or `_`, such as `2` or `1.4.2`")
        }
        return .migration(FlywayFileName(kind: kind, version: version, description: description))
    }

    private static let underscore = UInt8(ascii: "_")

    /// The index of the first `__` in a name.
    private static func firstSeparator(in stem: ArraySlice<UInt8>) -> Int? {
        var index = stem.startIndex
        while index + 1 < stem.endIndex {
            if stem[index] == underscore && stem[index + 1] == underscore { return index }
            index += 1
        }
        return nil
    }

    private static func kind(forPrefix prefix: UInt8) -> Migration.Kind? {
        switch prefix {
        case UInt8(ascii: "V"): .versioned
        case UInt8(ascii: "B"): .baseline
        case UInt8(ascii: "U"): .undo
        case UInt8(ascii: "R"): .repeatable
        default: nil
        }
    }

    /// `V2_x.sql` and `Vx__y.sql` are migrations with mistakes; `Views.sql` and `README.sql` are not migrations.
    private static func looksLikeMigration(kind: Migration.Kind, stem: ArraySlice<UInt8>, hasSeparator: Bool) -> Bool {
        if hasSeparator { return true }
        guard let next = stem.first else { return false }
        let isDigit = next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9")
        return next == underscore || (kind != .repeatable && (isDigit || next == UInt8(ascii: ".")))
    }
}
