/// The parts of a Flyway-style migration file name: `V1_2__Add_index.sql` is a versioned
/// migration, version `1.2`, description `Add index`.
public struct FlywayFileName: Sendable, Equatable {
    public let kind: Migration.Kind
    public let version: MigrationVersion?
    public let description: String

    /// What a file name is to the catalog.
    public enum Classification: Sendable, Equatable {
        case migration(FlywayFileName)
        /// It starts like a migration but cannot be one; the reason says what is wrong.
        case malformed(reason: String)
        /// Not a migration file at all (a README, a callback, a helper script).
        case unrelated
    }

    static let separator = "__"
    static let suffix = ".sql"

    public static func classify(_ fileName: String) -> Classification {
        guard fileName.hasSuffix(suffix), let prefix = fileName.first,
              let kind = kind(forPrefix: prefix)
        else { return .unrelated }
        let stem = fileName.dropFirst().dropLast(suffix.count)
        guard looksLikeMigration(kind: kind, stem: stem) else { return .unrelated }

        guard let separatorRange = stem.range(of: separator) else {
            return .malformed(reason: "it has no `__` between the version and the description (expected e.g. `\(prefix)2__add_users.sql`)")
        }
        let versionText = String(stem[..<separatorRange.lowerBound])
        let description = stem[separatorRange.upperBound...].replacingOccurrences(of: "_", with: " ")

        if kind == .repeatable {
            guard versionText.isEmpty else {
                return .malformed(reason: "a repeatable migration has no version (expected `R__\(stem[separatorRange.upperBound...]).sql`)")
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

    private static func kind(forPrefix prefix: Character) -> Migration.Kind? {
        switch prefix {
        case "V": .versioned
        case "B": .baseline
        case "U": .undo
        case "R": .repeatable
        default: nil
        }
    }

    /// `V2_x.sql` and `Vx__y.sql` are migrations with mistakes; `Views.sql` and `README.sql` are not migrations.
    private static func looksLikeMigration(kind: Migration.Kind, stem: Substring) -> Bool {
        if stem.contains(separator) { return true }
        guard let next = stem.first, next.isASCII else { return false }
        return next == "_" || (kind != .repeatable && (next.isNumber || next == "."))
    }
}
