/// Which local migrations `strata rebase` renames, and to what: the decision alone, from file
/// names, so that it is tested without git or a database.
///
/// The migrations not on main whose version is at or below main's highest (a collision with
/// one of main's, or a version main has passed) move above it, in their order, each taking the
/// next version in its folder's style; an undo file moves with its migration. One of the
/// branch's own migrations above main that a moved one would now reach moves up too, so that the
/// order holds and no two share a version.
package struct MigrationRenumbering: Sendable, Equatable {
    /// One location's migration files as they are in the working tree.
    package struct Folder: Sendable {
        package let path: String
        package let layout: MigrationLayout
        /// The `.sql` files below the folder, as paths relative to it.
        package let files: [String]

        package init(path: String, layout: MigrationLayout, files: [String]) {
            self.path = path
            self.layout = layout
            self.files = files
        }
    }

    /// One file to rename, within its folder (and its subfolder).
    package struct Rename: Sendable, Equatable {
        package let folder: String
        /// Paths relative to the folder.
        package let from: String
        package let to: String
        package let version: MigrationVersion
        package let newVersion: String
    }

    /// In version order, undo files after their migration.
    package let renames: [Rename]

    /// - Parameter timestamp: now, as `yyyyMMddHHmmss` (UTC), for folders that version by time.
    package init(folders: [Folder], main: MainBranchMigrations, timestamp: String) throws(RenumberingError) {
        let files = folders.flatMap { folder in
            folder.files.compactMap { path in
                VersionedFileName.parse(MainBranchMigrations.baseName(path), layout: folder.layout).map { (folder: folder, path: path, name: $0) }
            }
        }
        if main.fileNames == nil { try Self.refuseAmbiguous(files.filter { $0.name.role == .forward }, main: main) }
        let own = files.filter { !main.holds(name: MainBranchMigrations.baseName($0.path), version: $0.name.version) }
        guard var highest = main.highest else {
            renames = []
            return
        }
        var renames: [Rename] = []
        for version in Set(own.filter { $0.name.role == .forward }.map(\.name.version)).sorted() {
            guard version <= highest else {
                highest = version
                continue
            }
            let moving = own.filter { $0.name.version == version }.sorted { ($0.name.role == .undo ? 1 : 0, $0.path) < ($1.name.role == .undo ? 1 : 0, $1.path) }
            let folder = moving[0].folder
            let style = VersionStyle.of(folder.layout, existingNames: folder.files.map(MainBranchMigrations.baseName), timestamp: timestamp)
            let next = style.next(after: highest, timestamp: timestamp)
            highest = MigrationVersion(next)!
            renames += moving.map { file in
                let directory = file.path.dropLast(MainBranchMigrations.baseName(file.path).count)
                return Rename(folder: file.folder.path, from: file.path, to: directory + file.name.renamed(to: next), version: version, newVersion: next)
            }
        }
        try Self.refuseOverwriting(renames, folders: folders)
        self.renames = renames
    }

    /// With only main's versions known, two local files of one of those versions leave no way to
    /// tell which is main's.
    private static func refuseAmbiguous(_ forward: [(folder: Folder, path: String, name: VersionedFileName)], main: MainBranchMigrations) throws(RenumberingError) {
        let byVersion = Dictionary(grouping: forward.filter { main.versions.contains($0.name.version) }, by: \.name.version)
        if let (version, clash) = byVersion.filter({ $0.value.count > 1 }).min(by: { $0.key < $1.key }) {
            throw .ambiguous(version: version, paths: clash.map { $0.folder.path + "/" + $0.path }.sorted())
        }
    }

    /// A new name that another file, staying where it is, already has.
    private static func refuseOverwriting(_ renames: [Rename], folders: [Folder]) throws(RenumberingError) {
        let leaving = Set(renames.map { $0.folder + "/" + $0.from })
        let staying = Set(folders.flatMap { folder in folder.files.map { folder.path + "/" + $0 } }).subtracting(leaving)
        if let taken = renames.first(where: { staying.contains($0.folder + "/" + $0.to) }) {
            throw .nameTaken(from: taken.folder + "/" + taken.from, to: taken.folder + "/" + taken.to)
        }
    }
}
