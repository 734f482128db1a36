/// A migration file name split around its version, so that renumbering changes the version
/// and keeps everything else: `V3__add_isbn.sql` is `V` + `3` + `__add_isbn.sql`.
package struct VersionedFileName: Sendable, Equatable {
    /// Whether the file applies its version or reverts it: an undo moves with its migration.
    package enum Role: Sendable, Equatable { case forward, undo }

    package let role: Role
    package let version: MigrationVersion
    let prefix: Substring
    let suffix: Substring

    /// The same name with another version.
    package func renamed(to version: String) -> String {
        String(prefix) + version + suffix
    }

    /// The versioned parts of a name in `layout`: Flyway's `V` and `U` files, golang-migrate's
    /// `.up.sql` and `.down.sql`, dbmate's files; nil for any other name (`R__`, `B`, callbacks).
    package static func parse(_ name: String, layout: MigrationLayout) -> VersionedFileName? {
        switch layout {
        case .flyway:
            guard case .migration(let parsed) = FlywayFileName.classify(name), let version = parsed.version,
                  parsed.kind == .versioned || parsed.kind == .undo,
                  let separator = name.firstRange(of: "__")
            else { return nil }
            return VersionedFileName(role: parsed.kind == .undo ? .undo : .forward, version: version,
                                     prefix: name.prefix(1), suffix: name[separator.lowerBound...])
        case .golangMigrate:
            guard let parsed = GolangMigrateFileName.parse(name) else { return nil }
            return split(name, version: parsed.version, role: parsed.direction == .up ? .forward : .undo)
        case .dbmate:
            guard let digits = DbmateFile.version(of: name), let version = MigrationVersion(digits) else { return nil }
            return split(name, version: version, role: .forward)
        }
    }

    /// A name that starts with its version's digits.
    private static func split(_ name: String, version: MigrationVersion, role: Role) -> VersionedFileName {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return VersionedFileName(role: role, version: version, prefix: name.prefix(0), suffix: name[digits.endIndex...])
    }
}
