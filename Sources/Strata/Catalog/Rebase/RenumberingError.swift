/// Why `strata rebase` cannot decide the new names; nothing has been renamed.
package enum RenumberingError: StrataError, Equatable {
    /// Main's versions were given without its files, and several local files have one of them.
    case ambiguous(version: MigrationVersion, paths: [String])
    /// A renamed file would replace one that stays.
    case nameTaken(from: String, to: String)

    package var category: ErrorCategory {
        switch self {
        case .ambiguous: .usage
        case .nameTaken: .failure
        }
    }

    package var description: String {
        switch self {
        case .ambiguous(let version, let paths):
            "\(paths.joined(separator: ", ")) have version \(version), which is on main; with only main's versions given, nothing tells which of them is main's. Give --onto with the main branch's git ref instead of --onto-versions; nothing was renamed."
        case .nameTaken(let from, let to):
            "\(from) would be renamed to \(to), which already exists; rename or remove that file and run `strata rebase` again. Nothing was renamed."
        }
    }
}
