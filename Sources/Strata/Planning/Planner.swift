/// Decides, from the files and the history alone, the state of every migration, what is wrong,
/// and what `migrate` should run. No I/O: every rule here is unit-tested without a database.
enum Planner {
    static func plan(catalog: Catalog, history: [HistoryEntry], options: PlanOptions = PlanOptions()) -> Plan {
        var builder = PlanBuilder(catalog: catalog, history: history, options: options)
        return builder.build()
    }
}

/// The working state of one planning pass.
private struct PlanBuilder {
    let catalog: Catalog
    let options: PlanOptions
    let rows: [HistoryEntry]

    // The maps below hold positions in `rows` and in the catalog's lists, not copies of them.

    /// The row that currently stands for each version: the newest one, unless it was deleted or undone.
    var liveByVersion: [MigrationVersion: Int] = [:]
    /// Versions whose row `repair` marked deleted, with that row.
    var deletedByVersion: [MigrationVersion: Int] = [:]
    /// Versions whose last run was undone, with the row of that run.
    var undoneByVersion: [MigrationVersion: Int] = [:]
    /// Ranks of rows that were applied after a newer version.
    var outOfOrderRanks: Set<Int> = []

    let repeatablesByDescription: [String: Migration]
    let undoVersions: Set<MigrationVersion>

    var infos: [MigrationInfo] = []
    /// The newest successfully applied version, once known.
    var current: MigrationVersion?
    var findings: [Finding] = []
    var versionedSteps: [PlannedStep] = []
    /// Pending versions held back because a contract migration comes first (see ``MigrationPhase``).
    var awaitingContract: [Migration] = []
    var repeatableSteps: [PlannedStep] = []
    var baselineStep: PlannedStep?

    init(catalog: Catalog, history: [HistoryEntry], options: PlanOptions) {
        self.catalog = catalog
        self.options = options
        // The table is read in rank order; sorting again would copy every row.
        let ranked = zip(history, history.dropFirst()).allSatisfy { $0.installedRank < $1.installedRank }
        self.rows = ranked ? history : history.sorted { $0.installedRank < $1.installedRank }
        // One line per file or history row, and mostly one for both.
        infos.reserveCapacity(max(catalog.versioned.count + catalog.baselines.count + catalog.repeatables.count, history.count))
        // The catalog guarantees unique keys within each kind.
        repeatablesByDescription = Dictionary(uniqueKeysWithValues: catalog.repeatables.map { ($0.description, $0) })
        undoVersions = Set(catalog.undos.compactMap(\.version))
    }

    mutating func build() -> Plan {
        indexVersionedRows()
        var current: MigrationVersion?
        var baselineVersion: MigrationVersion?
        for (version, index) in liveByVersion where rows[index].success {
            current = max(current ?? version, version)
            if rows[index].type == .baseline || rows[index].type == .sqlBaseline {
                baselineVersion = max(baselineVersion ?? version, version)
            }
        }

        planAppliedVersions()
        planBaselineMigration(atZero: liveByVersion.isEmpty)
        planPendingVersions(current: current, baselineVersion: baselineVersion)
        planRepeatables()

        // Usually already in order (applied versions, then pending ones): sorting anyway would
        // allocate a buffer half the size of the lines (0.8 MB at 10,000 migrations).
        if zip(infos, infos.dropFirst()).contains(where: { listedBefore($1, $0) }) {
            infos.sort(by: listedBefore)
        }
        var versionSteps = (baselineStep.map { [$0] } ?? []) + versionedSteps
        if let limit = options.target.stepLimit { versionSteps = Array(versionSteps.prefix(limit)) }
        let steps = versionSteps + repeatableSteps
        var plan = Plan(infos: infos, steps: steps, findings: findings + ContractGate.findings(steps: versionSteps, catalog: catalog, infos: infos),
                        currentVersion: current)
        plan.awaitingContract = awaitingContract
        return plan
    }

    // MARK: Versioned history

    private mutating func indexVersionedRows() {
        var newestSoFar: MigrationVersion?
        for (index, row) in rows.enumerated() {
            guard let version = row.version else { continue }
            switch row.type {
            case .delete:
                if let live = liveByVersion.removeValue(forKey: version) { deletedByVersion[version] = live }
            case .undoSQL, .undoSwift:
                if row.success, let live = liveByVersion.removeValue(forKey: version) { undoneByVersion[version] = live }
            case .schema:
                continue
            default:
                liveByVersion[version] = index
                deletedByVersion[version] = nil
                undoneByVersion[version] = nil
                guard row.success else { continue }
                if let newest = newestSoFar, version < newest, row.type != .baseline, row.type != .sqlBaseline {
                    outOfOrderRanks.insert(row.installedRank)
                }
                newestSoFar = max(newestSoFar ?? version, version)
            }
        }
    }

    /// The catalog is sorted by version, so the newest file is the last of each kind.
    private var newestFileVersion: MigrationVersion? {
        [catalog.versioned.last?.version, catalog.baselines.last?.version].compactMap { $0 }.max()
    }

    private mutating func planAppliedVersions() {
        let newestFile = newestFileVersion
        for (version, index) in liveByVersion.sorted(by: { $0.key < $1.key }) {
            let row = rows[index]
            let file: Migration?
            switch row.type {
            case .baseline:
                add(kind: .baseline, row: row, file: nil, state: .baseline)
                continue
            case .sqlBaseline:
                file = Self.file(of: version, in: catalog.baselines)
            default:
                file = Self.file(of: version, in: catalog.versioned)
            }
            let kind: Migration.Kind = row.type == .sqlBaseline ? .baseline : .versioned
            guard let file else {
                if !row.success {
                    findings.append(.failed(row))
                    add(kind: kind, row: row, file: nil, state: .failed)
                } else if let newestFile, version <= newestFile {
                    findings.append(.missing(row))
                    add(kind: kind, row: row, file: nil, state: .missing)
                } else {
                    add(kind: kind, row: row, file: nil, state: .future)
                }
                continue
            }
            let state: MigrationState
            if !row.success {
                findings.append(.failed(row))
                state = .failed
            } else {
                compare(row, with: file)
                state = kind == .baseline ? .baseline : outOfOrderRanks.contains(row.installedRank) ? .outOfOrder : .success
            }
            add(kind: kind, row: row, file: file, state: state)
        }
        for (version, index) in deletedByVersion.sorted(by: { $0.key < $1.key }) where liveByVersion[version] == nil {
            add(kind: rows[index].type == .sqlBaseline ? .baseline : .versioned, row: rows[index], file: nil, state: .deleted)
        }
        for (_, index) in undoneByVersion.sorted(by: { $0.key < $1.key }) {
            add(kind: .versioned, row: rows[index], file: nil, state: .undone)
        }
    }

    /// The file of a version, by binary search: the catalog keeps each kind sorted by version,
    /// and a map from version to file cost 0.8 MiB at 10,000 migrations.
    private static func file(of version: MigrationVersion, in files: [Migration]) -> Migration? {
        var low = 0
        var high = files.count
        while low < high {
            let middle = (low + high) / 2
            if files[middle].version! < version { low = middle + 1 } else { high = middle }
        }
        return low < files.count && files[low].version == version ? files[low] : nil
    }

    private mutating func compare(_ row: HistoryEntry, with file: Migration) {
        if row.checksum != file.checksum {
            findings.append(.checksumChanged(applied: row, file: file))
        }
        if row.description != file.description {
            findings.append(.descriptionChanged(applied: row, file: file))
        }
    }

    // MARK: Pending versions

    /// On an empty database, the newest `B` migration within the target replaces the versions it covers.
    private mutating func planBaselineMigration(atZero: Bool) {
        guard atZero,
              let chosen = catalog.baselines.last(where: { options.target.allows($0.version!, current: nil) })
        else { return }
        baselineStep = PlannedStep(migration: chosen, type: .sqlBaseline, reason: .baselineMigration)
        add(kind: .baseline, row: nil, file: chosen, state: .pending)
    }

    private mutating func planPendingVersions(current: MigrationVersion?, baselineVersion: MigrationVersion?) {
        self.current = current
        let coveredUpTo = [baselineVersion, baselineStep?.migration.version].compactMap { $0 }.max()
        for file in catalog.versioned {
            let version = file.version!
            if let index = liveByVersion[version], rows[index].type != .baseline, rows[index].type != .sqlBaseline { continue }
            if let coveredUpTo, version <= coveredUpTo {
                add(kind: .versioned, row: nil, file: file, state: .belowBaseline)
            } else if let current, version < current {
                if options.outOfOrder {
                    add(kind: .versioned, row: nil, file: file, state: .pending)
                    schedule(file, reason: .outOfOrder)
                } else {
                    findings.append(.ignored(file, newestApplied: current))
                    add(kind: .versioned, row: nil, file: file, state: .ignored)
                }
            } else if !options.contract && (!awaitingContract.isEmpty || file.phase == .contract) {
                awaitingContract.append(file)
                add(kind: .versioned, row: nil, file: file, state: file.phase == .contract ? .awaitingContract : .pending)
            } else {
                add(kind: .versioned, row: nil, file: file, state: .pending)
                schedule(file, reason: .pending)
            }
        }
    }

    private mutating func schedule(_ file: Migration, reason: PlannedStep.Reason) {
        guard options.target.allows(file.version!, current: current) else { return }
        versionedSteps.append(PlannedStep(migration: file, type: .of(file), reason: reason))
    }

    // MARK: Repeatables

    private mutating func planRepeatables() {
        var runs: [String: [HistoryEntry]] = [:]
        var deleted: Set<String> = []
        for row in rows where row.version == nil && row.type != .schema {
            if row.type == .delete {
                deleted.insert(row.description)
            } else {
                runs[row.description, default: []].append(row)
                deleted.remove(row.description)
            }
        }
        for row in rows where row.version == nil && row.type == .schema {
            add(kind: .repeatable, row: row, file: nil, state: .success)
        }
        for (description, history) in runs.sorted(by: { $0.value[0].installedRank < $1.value[0].installedRank }) {
            let file = repeatablesByDescription[description]
            let latest = history.last!
            for older in history.dropLast() {
                add(kind: .repeatable, row: older, file: nil, state: .superseded)
            }
            if deleted.contains(description) {
                add(kind: .repeatable, row: latest, file: nil, state: .deleted)
                if let file { schedulePending(file) }
            } else if !latest.success {
                findings.append(.failed(latest))
                add(kind: .repeatable, row: latest, file: file, state: .failed)
            } else if let file {
                if latest.checksum == file.checksum {
                    add(kind: .repeatable, row: latest, file: file, state: .success)
                } else {
                    add(kind: .repeatable, row: latest, file: file, state: .outdated)
                    repeatableSteps.append(PlannedStep(migration: file, type: .of(file), reason: .outdated))
                }
            } else {
                findings.append(.missing(latest))
                add(kind: .repeatable, row: latest, file: nil, state: .missing)
            }
        }
        for file in catalog.repeatables where runs[file.description] == nil {
            schedulePending(file)
        }
        repeatableSteps.sort { $0.migration.description < $1.migration.description }
    }

    private mutating func schedulePending(_ file: Migration) {
        add(kind: .repeatable, row: nil, file: file, state: .pending)
        repeatableSteps.append(PlannedStep(migration: file, type: .of(file), reason: .pending))
    }

    // MARK: Infos

    private mutating func add(kind: Migration.Kind, row: HistoryEntry?, file: Migration?, state: MigrationState) {
        let info = MigrationInfo(
            kind: kind,
            state: state,
            undoable: kind == .versioned && (row?.version ?? file?.version).map(undoVersions.contains) == true,
            source: row.map(MigrationInfo.Source.row) ?? .file(file!))
        infos.append(info)
    }
}

/// The order of `info`: versioned migrations by version (a baseline before the migration it
/// covers), then repeatable ones: applied runs in the order they ran, pending ones by description.
private func listedBefore(_ left: MigrationInfo, _ right: MigrationInfo) -> Bool {
    switch (left.version, right.version) {
    case (let l?, let r?):
        if l != r { return l < r }
        if (left.kind == .baseline) != (right.kind == .baseline) { return left.kind == .baseline }
        return (left.applied?.installedRank ?? .max) < (right.applied?.installedRank ?? .max)
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil):
        switch (left.applied?.installedRank, right.applied?.installedRank) {
        case (let l?, let r?): return l < r
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return left.description < right.description
        }
    }
}
