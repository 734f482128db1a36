/// golang-migrate's names: `<version>_<identifier>.up.sql` and `.down.sql`.
struct GolangMigrateFileName: Sendable, Equatable {
    enum Direction: String, Sendable { case up, down }

    let version: MigrationVersion
    let identifier: String
    let direction: Direction

    /// Nil for names golang-migrate would not read (its rule: digits, `_`, anything, `.up|down.`, a suffix; here `.sql`).
    static func parse(_ fileName: String) -> GolangMigrateFileName? {
        let direction: Direction
        let stem: Substring
        if fileName.hasSuffix(".up.sql") {
            direction = .up
            stem = fileName.dropLast(".up.sql".count)
        } else if fileName.hasSuffix(".down.sql") {
            direction = .down
            stem = fileName.dropLast(".down.sql".count)
        } else {
            return nil
        }
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, stem.dropFirst(digits.count).first == "_",
              let version = MigrationVersion(String(digits))
        else { return nil }
        return GolangMigrateFileName(version: version, identifier: String(stem.dropFirst(digits.count + 1)), direction: direction)
    }
}
