/// The migrations the main branch holds, which `strata rebase` leaves alone and renumbers
/// everything else above.
package struct MainBranchMigrations: Sendable, Equatable {
    package let versions: Set<MigrationVersion>
    /// The names of main's migration files, without their folders; nil when only the versions
    /// are known (`--onto-versions`), which then decide alone which local files are main's.
    package let fileNames: Set<String>?

    /// Main's versions, given by hand.
    package init(versions: some Sequence<MigrationVersion>) {
        self.versions = Set(versions)
        self.fileNames = nil
    }

    /// Main's files (paths or names) in each folder, read with that folder's layout; names that
    /// are no versioned migration (repeatables, callbacks, `strata.sum`) are ignored.
    package init(files: [(layout: MigrationLayout, paths: [String])]) {
        var versions: Set<MigrationVersion> = []
        var names: Set<String> = []
        for (layout, paths) in files {
            for path in paths {
                let name = Self.baseName(path)
                guard let parsed = VersionedFileName.parse(name, layout: layout) else { continue }
                versions.insert(parsed.version)
                names.insert(name)
            }
        }
        self.versions = versions
        self.fileNames = names
    }

    package var highest: MigrationVersion? { versions.max() }

    /// Whether a local file is main's: by its name when main's names are known, else by its version.
    func holds(name: String, version: MigrationVersion) -> Bool {
        fileNames.map { $0.contains(name) } ?? versions.contains(version)
    }

    static func baseName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}
