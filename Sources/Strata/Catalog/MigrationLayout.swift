/// How a folder lays out its migration files. One engine reads them all into the same
/// ``Migration`` values, so checksums, states, validation and locking do not depend on it.
public enum MigrationLayout: String, Sendable, CaseIterable {
    /// `V1__add_users.sql`, `U1__add_users.sql`, `R__views.sql`, `B5__snapshot.sql`.
    case flyway
    /// `1_add_users.up.sql` and `1_add_users.down.sql`, either of which may be missing.
    case golangMigrate = "golang-migrate"
    /// `20240101120000_add_users.sql` holding `-- migrate:up` and `-- migrate:down` sections.
    case dbmate

    /// The layout of a folder, from its file names and, for dbmate, the `-- migrate:up` line in
    /// its files. A folder of no layout is read as Flyway's, whose tool ignores other files.
    /// - Parameter text: reads the text of the file at an index of `fileNames`.
    /// - Throws: ``LayoutDetectionError`` when migrations of two layouts share the folder, or when
    ///   files are named like dbmate's but none is one and nothing else is a migration: reading
    ///   either as one layout would silently skip files meant to run.
    package static func detect(fileNames: [String], text: (Int) -> String?) throws(LayoutDetectionError) -> MigrationLayout {
        var examples: [MigrationLayout: Int] = [:]
        var unmarked: [Int] = []
        for (index, name) in fileNames.enumerated() {
            if GolangMigrateFileName.parse(name) != nil {
                examples[.golangMigrate] = examples[.golangMigrate] ?? index
            } else if case .migration = FlywayFileName.classify(name) {
                examples[.flyway] = examples[.flyway] ?? index
            } else if DbmateFile.version(of: name) != nil && examples[.dbmate] == nil {
                if DbmateFile.hasUpDirective(text(index) ?? "") { examples[.dbmate] = index } else { unmarked.append(index) }
            }
        }
        if examples.count > 1 {
            throw LayoutDetectionError.mixed(examples: allCases.compactMap { layout in examples[layout].map { (layout, $0) } })
        }
        if examples.isEmpty && !unmarked.isEmpty { throw LayoutDetectionError.unmarkedDbmateFiles(unmarked) }
        return examples.keys.first ?? .flyway
    }

    /// How users name the layout, in messages.
    var displayName: String {
        switch self {
        case .flyway: "Flyway"
        case .golangMigrate: "golang-migrate"
        case .dbmate: "dbmate"
        }
    }
}
