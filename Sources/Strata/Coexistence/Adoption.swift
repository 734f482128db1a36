/// What Strata records to take over another tool's history: the migrations that tool applied
/// and Strata's history does not show yet, each as an applied row with its file's checksum.
public struct Adoption: Sendable, Equatable {
    /// The other tool's history, as found.
    public let found: ForeignHistory
    /// The rows to append to Strata's history, in order; empty when there is nothing to adopt.
    public let rows: [NewHistoryRow]

    /// The description of a row for a version dbmate lists but no file holds.
    static let orphanDescription = "<< applied by dbmate, no file >>"

    /// Decides what to record from the other tool's history, the files and Strata's history.
    /// - Throws: ``CoexistenceError`` when the other history cannot be taken over as it is: a
    ///   dirty golang-migrate version, a history behind Strata's, or Flyway's table (which Strata
    ///   reads in place).
    static func decide(found: ForeignHistory, catalog: Catalog, history: [HistoryEntry]) throws(CoexistenceError) -> Adoption {
        let plan = Planner.plan(catalog: catalog, history: history)
        switch found {
        case .flyway(let table):
            throw .flywayTable(table)
        case .golangMigrate(nil):
            return Adoption(found: found, rows: [])
        case .golangMigrate(let row?):
            guard !row.dirty else { throw .dirty(version: row.version) }
            return Adoption(found: found, rows: try golangMigrateRows(upTo: row.version, plan: plan, catalog: catalog))
        case .dbmate(let versions):
            return Adoption(found: found, rows: try dbmateRows(versions, plan: plan, catalog: catalog))
        }
    }

    /// The files above Strata's current version up to golang-migrate's, and a baseline at that
    /// version when no file holds it (its file was deleted, or this checkout is behind).
    private static func golangMigrateRows(upTo version: Int64, plan: Plan, catalog: Catalog) throws(CoexistenceError) -> [NewHistoryRow] {
        let current = try plan.currentVersion.map { current throws(CoexistenceError) in try GolangMigrateRow.number(current) }
        if let current, current > version {
            throw .golangMigrateBehind(version: version, strataVersion: plan.currentVersion!.text)
        }
        var rows: [NewHistoryRow] = []
        var holdsVersion = current == version
        for file in catalog.versioned {
            let number = try GolangMigrateRow.number(file.version!)
            guard number > current ?? .min, number <= version else { continue }
            rows.append(applied(file))
            holdsVersion = holdsVersion || number == version
        }
        if !holdsVersion {
            let description = "<< golang-migrate version \(version) >>"
            rows.append(NewHistoryRow(version: MigrationVersion(String(version)), description: description, type: .baseline,
                                      script: description, checksum: nil, executionTime: 0, success: true))
        }
        return rows
    }

    /// The versions dbmate lists that Strata's history does not, oldest first. A version Strata
    /// applied that dbmate no longer lists means dbmate rolled it back: refused, naming it.
    private static func dbmateRows(_ texts: [String], plan: Plan, catalog: Catalog) throws(CoexistenceError) -> [NewHistoryRow] {
        var versions: [MigrationVersion] = []
        for text in texts {
            guard let version = MigrationVersion(text) else { throw .notAVersion(text) }
            versions.append(version)
        }
        let recorded = Set(plan.appliedVersions)
        let listed = Set(versions)
        let rolledBack = recorded.filter { !listed.contains($0) }.sorted()
        if !versions.isEmpty && !rolledBack.isEmpty {
            throw .dbmateLacks(versions: rolledBack.map(\.text))
        }
        let files = Dictionary(catalog.versioned.map { ($0.version!, $0) }) { first, _ in first }
        return versions.filter { !recorded.contains($0) }.sorted().map { version in
            files[version].map(applied) ?? NewHistoryRow(
                version: version, description: orphanDescription, type: .sql, script: version.text,
                checksum: nil, executionTime: 0, success: true)
        }
    }

    /// A row that records a file as applied by the other tool.
    private static func applied(_ file: Migration) -> NewHistoryRow {
        NewHistoryRow(version: file.version, description: file.description, type: .of(file), script: file.script,
                      checksum: file.checksum, executionTime: 0, success: true)
    }
}

extension Plan {
    /// The versions that count as applied: run, recorded or covered by a baseline.
    var appliedVersions: [MigrationVersion] {
        let applied: Set<MigrationState> = [.success, .outOfOrder, .missing, .future, .belowBaseline]
        return infos.filter { applied.contains($0.state) || ($0.state == .baseline && $0.type == .sqlBaseline) }
            .compactMap(\.version)
    }
}
