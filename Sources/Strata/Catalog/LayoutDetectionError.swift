/// A folder whose layout cannot be told from its files without skipping some of them.
package enum LayoutDetectionError: Error, Sendable {
    /// Migrations of several layouts, with the index of one file of each.
    case mixed(examples: [(MigrationLayout, Int)])
    /// Files named like dbmate migrations without `-- migrate:up`, and no other migration.
    case unmarkedDbmateFiles([Int])

    /// The problems to report, one paragraph each.
    /// - Parameters: paths: the files' paths, by the indices detection was given; folder: the location.
    func problems(paths: [String], folder: String) -> [CatalogProblem] {
        switch self {
        case .mixed(let examples):
            let found = examples.map { "\($0.0.displayName) (\(paths[$0.1]))" }.joined(separator: " and ")
            return [CatalogProblem(
                path: folder,
                message: "this location holds migrations of more than one layout: \(found), so reading it as either would skip the other's files. "
                    + "Rename the files into one layout, or pass --format (or set `format` in strata.toml) to read one layout and ignore the other's files, as that tool would")]
        case .unmarkedDbmateFiles(let indices):
            return indices.map { index in
                CatalogProblem(
                    path: paths[index],
                    message: "it is named like a dbmate migration but has no `-- migrate:up` line, so no layout reads it. "
                        + "Add `-- migrate:up` and `-- migrate:down` sections (dbmate), or rename it `V<version>__<description>.sql` (Flyway) or `<version>_<name>.up.sql` (golang-migrate); pass --format flyway to ignore it")
            }
        }
    }
}
