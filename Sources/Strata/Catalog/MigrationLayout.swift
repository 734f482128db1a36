/// How a folder lays out its migration files. One engine reads them all into the same
/// ``Migration`` values, so checksums, states, validation and locking do not depend on it.
public enum MigrationLayout: String, Sendable, CaseIterable {
    /// `V1__add_users.sql`, `U1__add_users.sql`, `R__views.sql`, `B5__snapshot.sql`.
    case flyway
    /// `1_add_users.up.sql` and `1_add_users.down.sql`, either of which may be missing.
    case golangMigrate = "golang-migrate"
    /// `20240101120000_add_users.sql` holding `-- migrate:up` and `-- migrate:down` sections.
    case dbmate

    /// The layout of a folder, from its file names and, for dbmate, the directive in a file.
    /// - Parameter text: reads a file's text, for dbmate's check.
    public static func detect(fileNames: [String], text: (String) -> String?) -> MigrationLayout {
        if fileNames.contains(where: { GolangMigrateFileName.parse($0) != nil }) { return .golangMigrate }
        let flywayFiles = fileNames.contains { if case .migration = FlywayFileName.classify($0) { true } else { false } }
        if !flywayFiles, let candidate = fileNames.first(where: { DbmateFile.version(of: $0) != nil }),
           let contents = text(candidate),
           contents.split(whereSeparator: \.isNewline).contains(where: { DbmateFile.isDirective(String($0), "up") }) {
            return .dbmate
        }
        return .flyway
    }
}
