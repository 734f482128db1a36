/// One of `strata test`'s files: a data check or a seed (named as `TestFileName` reads them).
public struct TestFile: Sendable, Equatable {
    /// The version it follows; nil for a seed that runs before the migrations.
    public let version: MigrationVersion?
    /// The description from the file name (`T2__orders_total.sql`: `orders total`).
    public let description: String
    /// The path as found, for messages.
    public let path: String
    /// The file's SQL.
    public let sql: String

    public init(version: MigrationVersion?, description: String, path: String, sql: String) {
        self.version = version
        self.description = description
        self.path = path
        self.sql = sql
    }
}

/// The data checks and seeds of the locations, which `strata test` runs around the migrations.
public struct TestFiles: Sendable, Equatable {
    /// `T<version>__…` files, in version order (then path).
    public let dataChecks: [TestFile]
    /// `S__…` and `S<version>__…` files: unversioned ones first, then in version order.
    public let seeds: [TestFile]

    /// Sorts both lists: by version (unversioned first), then by path.
    public init(dataChecks: [TestFile] = [], seeds: [TestFile] = []) {
        self.dataChecks = dataChecks.sorted(by: Self.order)
        self.seeds = seeds.sorted(by: Self.order)
    }

    private init(sortedDataChecks: [TestFile], sortedSeeds: [TestFile]) {
        dataChecks = sortedDataChecks
        seeds = sortedSeeds
    }

    /// These files with `given` (`--seed` files) run before the migrations too, after the
    /// unversioned seeds of the locations and in the order given: one may build on another.
    public func addingSeeds(inOrder given: [TestFile]) -> TestFiles {
        let unversioned = seeds.prefix { $0.version == nil }
        return TestFiles(sortedDataChecks: dataChecks, sortedSeeds: unversioned + given + seeds.dropFirst(unversioned.count))
    }

    /// The data checks of one version.
    public func dataChecks(after version: MigrationVersion) -> [TestFile] {
        dataChecks.filter { $0.version == version }
    }

    /// The seeds that run right after a version is applied, or before the migrations for nil.
    public func seeds(after version: MigrationVersion?) -> [TestFile] {
        seeds.filter { $0.version == version }
    }

    private static func order(_ first: TestFile, _ second: TestFile) -> Bool {
        guard first.version == second.version else {
            guard let left = first.version else { return true }
            guard let right = second.version else { return false }
            return left < right
        }
        return first.path < second.path
    }
}

extension LocationReader {
    /// The `T…` and `S__…` files of every location, in any layout (migrations ignore them).
    /// - Throws: ``CatalogError`` listing every malformed name and unreadable file.
    public static func readTestFiles(locations: [String]) throws -> TestFiles {
        var checks: [TestFile] = []
        var seeds: [TestFile] = []
        var problems: [CatalogProblem] = []
        for location in locations {
            for file in sqlFiles(below: folderPath(of: location)) {
                switch TestFileName.classify(file.name) {
                case .unrelated:
                    continue
                case .malformed(let reason):
                    problems.append(CatalogProblem(path: file.path, message: "this is not a valid data check or seed file name: \(reason)"))
                case .testFile(let name):
                    do throws(CatalogProblem) {
                        let test = TestFile(version: name.version, description: name.description, path: file.path, sql: try file.text())
                        if name.kind == .dataCheck { checks.append(test) } else { seeds.append(test) }
                    } catch {
                        problems.append(error)
                    }
                }
            }
        }
        guard problems.isEmpty else { throw CatalogError(problems: problems.sorted { $0.path < $1.path }) }
        return TestFiles(dataChecks: checks, seeds: seeds)
    }
}
