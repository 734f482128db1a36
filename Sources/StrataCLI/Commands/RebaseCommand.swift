import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// `strata rebase`: after a merge brings the main branch's migrations next to the branch's own,
/// moves the branch's above main's highest version, so that two migrations never share one and
/// none sits where databases already past it would skip it.
struct RebaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebase",
        abstract: "Renumber the migrations that are not on the main branch above its highest version (undo files with them) and rewrite strata.sum.",
        discussion: """
            Main's migrations are read from git (`git ls-tree REF`), or given with --onto-versions. \
            Refused, renaming nothing, when a migration to renumber is in the configured database's history.
            """)

    @Option(name: .long, help: ArgumentHelp("The main branch's git ref (default: origin/main if it exists, else main).", valueName: "ref"))
    var onto: String?

    @Option(name: .long, help: ArgumentHelp("Main's versions, comma-separated (e.g. 1,2,3.1), instead of reading them from git.", valueName: "versions"))
    var ontoVersions: String?

    @Flag(name: .long, help: "Print the renames without making them.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if onto != nil && ontoVersions != nil {
            throw ValidationError("--onto and --onto-versions both say what main holds; give one of them.")
        }
    }

    func run() throws {
        let session = try Session(global)
        let configured = try session.settings.layout()
        let folders = try session.settings.list("locations").map(LocationReader.folderPath).map { path in
            MigrationRenumbering.Folder(path: path, layout: try MigrationFolder.layout(of: path, configured: configured), files: Self.sqlFiles(below: path))
        }
        let (main, source) = try mainMigrations(folders)
        let plan = try MigrationRenumbering(folders: folders, main: main, timestamp: MigrationFolder.timestamp())
        guard !plan.renames.isEmpty else {
            Terminal.print("Nothing to renumber: every migration not on \(source) is above its highest version (\(main.highest?.text ?? "none")).")
            return
        }
        try RebaseHistoryCheck.refuseApplied(plan.renames, session: session)
        for rename in plan.renames {
            Terminal.print("\(rename.folder)/\(rename.from) -> \(rename.folder)/\(rename.to)")
        }
        guard !dryRun else {
            Terminal.print("Dry run: nothing was renamed.")
            return
        }
        // Highest first: a file moving up may take the name of one that moves further up.
        for rename in plan.renames.reversed() {
            try Self.move(rename.folder + "/" + rename.from, to: rename.folder + "/" + rename.to)
        }
        for folder in Set(plan.renames.map(\.folder)).sorted() where MigrationSum.exists(in: folder) {
            let sum = try MigrationSum.write(folder: folder)
            if (try? Git.tracks(sum)) == true { try Git.change(["add", "--", sum]) }
            Terminal.print("rewrote \(sum)")
        }
    }

    /// Main's migrations, and how to name where they came from.
    private func mainMigrations(_ folders: [MigrationRenumbering.Folder]) throws -> (MainBranchMigrations, String) {
        if let ontoVersions {
            let versions = try ontoVersions.split(separator: ",").map { text in
                guard let version = MigrationVersion(text.filter { !$0.isWhitespace }) else {
                    throw ValidationError("--onto-versions: '\(text)' is not a version; give numbers such as 1,2,3.1.")
                }
                return version
            }
            return (MainBranchMigrations(versions: versions), "the versions given")
        }
        let ref = try onto ?? Git.defaultMainRef()
        let files = try folders.map { folder in (folder.layout, try Git.files(at: ref, below: folder.path)) }
        return (MainBranchMigrations(files: files), ref)
    }

    /// The `.sql` files below a folder, relative to it.
    private static func sqlFiles(below folder: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".sql") }
    }

    /// `git mv` for a file git tracks, so that the rename is staged; a plain rename otherwise.
    private static func move(_ from: String, to: String) throws {
        if (try? Git.tracks(from)) == true {
            try Git.change(["mv", "--", from, to])
        } else {
            try FileManager.default.moveItem(atPath: from, toPath: to)
        }
    }
}
