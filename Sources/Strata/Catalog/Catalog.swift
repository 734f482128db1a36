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
        func ordered(_ kind: Migration.Kind) -> [Migration] {
            migrations.filter { $0.kind == kind }.sorted { $0.version! != $1.version! ? $0.version! < $1.version! : $0.path < $1.path }
        }
        versioned = ordered(.versioned)
        baselines = ordered(.baseline)
        undos = ordered(.undo)
        // Paths are compared only on a tie: each one is built from its folder when asked for.
        repeatables = migrations.filter { $0.kind == .repeatable }.sorted { $0.description != $1.description ? $0.description < $1.description : $0.path < $1.path }
        callbacks = migrations.filter { $0.kind == .callback }.sorted { $0.description != $1.description ? $0.description < $1.description : $0.path < $1.path }
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
