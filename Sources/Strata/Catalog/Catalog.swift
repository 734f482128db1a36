/// Every migration the locations hold, checked for duplicates: the answer to "what exists?".
public struct Catalog: Sendable {
    /// Versioned migrations, in version order.
    public let versioned: [Migration]
    /// Baseline (`B`) migrations, in version order.
    public let baselines: [Migration]
    /// Repeatable migrations, in description order.
    public let repeatables: [Migration]
    /// Undo (down) scripts, in the order of the versions they revert.
    public let undos: [Migration]
    /// SQL callbacks, by event and then description.
    public let callbacks: [Migration]

    /// Sorts the migrations and checks that versions (and repeatable descriptions) are unique
    /// within each kind; every duplicate is reported, naming both files.
    public init(_ migrations: [Migration]) throws(CatalogError) {
        self.init(sorting: migrations)
        let problems = duplicateProblems()
        guard problems.isEmpty else { throw CatalogError(problems: problems) }
    }

    /// This catalog with Swift code migrations added, checked like files: a code migration
    /// with a SQL file's version is a duplicate naming both.
    public func adding(_ code: [CodeMigration]) throws(CatalogError) -> Catalog {
        guard !code.isEmpty else { return self }
        var migrations = all
        var problems: [CatalogProblem] = []
        for migration in code {
            do throws(CatalogProblem) {
                migrations += try migration.migrations()
            } catch {
                problems.append(error)
            }
        }
        let (catalog, duplicates) = Catalog.checking(migrations)
        guard problems.isEmpty && duplicates.isEmpty else { throw CatalogError(problems: problems + duplicates) }
        return catalog
    }

    private init(sorting migrations: [Migration]) {
        versioned = Self.ordered(migrations, .versioned) { $0.version! }
        baselines = Self.ordered(migrations, .baseline) { $0.version! }
        undos = Self.ordered(migrations, .undo) { $0.version! }
        repeatables = Self.ordered(migrations, .repeatable) { $0.description }
        callbacks = Self.ordered(migrations, .callback) { $0.description }
    }

    /// The migrations of one kind by a key, then by path. The sort moves positions rather than
    /// migrations, and builds a path (from its folder and script) only for a tie.
    private static func ordered<Key: Comparable>(
        _ migrations: [Migration], _ kind: Migration.Kind, by key: (Migration) -> Key
    ) -> [Migration] {
        let chosen = migrations.filter { $0.kind == kind }
        let keys = chosen.map(key)
        return chosen.indices
            .sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : chosen[$0].path < chosen[$1].path }
            .map { chosen[$0] }
    }

    /// A catalog and its duplicates, without throwing: lets a reader report the duplicates
    /// together with the problems of single files.
    static func checking(_ migrations: [Migration]) -> (catalog: Catalog, duplicates: [CatalogProblem]) {
        let catalog = Catalog(sorting: migrations)
        return (catalog, catalog.duplicateProblems())
    }

    private func duplicateProblems() -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        for group in [versioned, baselines, undos] {
            for (first, second) in zip(group, group.dropFirst()) where first.version == second.version {
                problems.append(CatalogProblem(
                    path: second.path,
                    message: "version \(second.version!) is also used by \(first.path); give one of them a new version"))
            }
        }
        for (first, second) in zip(repeatables, repeatables.dropFirst()) where first.description == second.description {
            problems.append(CatalogProblem(
                path: second.path,
                message: "the repeatable migration \"\(second.description)\" is also defined by \(first.path); rename one of them"))
        }
        return problems
    }

    /// Every migration of every kind.
    public var all: [Migration] { versioned + baselines + repeatables + undos + callbacks }

    /// The callbacks of one event, in description order.
    func callbacks(for event: CallbackEvent) -> [Migration] {
        callbacks.filter { CallbackEvent(callback: $0) == event }
    }

    /// The undo script for a version, if there is one.
    public func undo(for version: MigrationVersion) -> Migration? {
        undos.first { $0.version == version }
    }
}
