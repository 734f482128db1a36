/// Something `validate` reports: the files and the history disagree.
public enum Finding: Sendable, Equatable, CustomStringConvertible {
    /// The file changed after it was applied.
    case checksumChanged(applied: HistoryEntry, file: Migration)
    /// The file was renamed to a new description after it was applied.
    case descriptionChanged(applied: HistoryEntry, file: Migration)
    /// It was applied, but no file holds it any more.
    case missing(HistoryEntry)
    /// It is pending but older than the newest applied version, so it will not run.
    case ignored(Migration, newestApplied: MigrationVersion)
    /// Its last run failed.
    case failed(HistoryEntry)
    /// A contract migration would run while an expand migration before it is still pending.
    case contractBeforePendingExpand(contract: Migration, expand: Migration)

    /// What is wrong, in which file, and what to do: `strata validate` prints this.
    public var description: String {
        switch self {
        case .checksumChanged(let applied, let file):
            "\(file.path): \(Self.name(applied)) changed after it was applied (checksum \(applied.checksum.map(String.init) ?? "none") in the history, \(file.checksum.map(String.init) ?? "none") now). Restore the file, or run `strata repair` if the change is intended."
        case .descriptionChanged(let applied, let file):
            "\(file.path): \(Self.name(applied)) was applied as \"\(applied.description)\" and is now described as \"\(file.description)\". Rename the file back, or run `strata repair` to record the new description."
        case .missing(let entry):
            "\(Self.name(entry)) (\(entry.script)) was applied but its file is gone. Restore the file, or run `strata repair` to mark it deleted."
        case .ignored(let migration, let newest):
            "\(migration.path): version \(migration.version!) is pending but older than the newest applied version \(newest), so it will not run. Give it a version above \(newest), or pass --out-of-order to apply it."
        case .failed(let entry) where entry.wasRewritten:
            "\(Self.name(entry)) (\(entry.script)) failed at one of its recorded steps when it last ran. While its file is unchanged, fix the cause and run "
                + "`strata migrate` again, which resumes at that step (`strata repair` keeps the entry for it); once the file changed, `strata repair` removes the entry "
                + "and the migration runs from its start."
        case .failed(let entry):
            "\(Self.name(entry)) (\(entry.script)) failed when it last ran. Fix the database by hand if it was left half changed, then run `strata repair` to remove the failed entry."
        case .contractBeforePendingExpand(let contract, let expand):
            "\(contract.path): this contract migration cannot run while the expand migration \(expand.path) before it is pending: it may remove what that one still needs. Apply the expand migration first (pass --out-of-order if it is older than the newest applied version), then run `strata migrate --contract` again."
        }
    }

    private static func name(_ entry: HistoryEntry) -> String {
        if let version = entry.version { return "version \(version)" }
        return "the repeatable migration \"\(entry.description)\""
    }
}
