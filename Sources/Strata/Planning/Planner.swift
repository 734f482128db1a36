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
    /// The rows and the catalog, held once for every line to point into.
    let sources: PlanSources
    var rows: [HistoryEntry] { sources.rows }

    // The lists below hold positions in `rows`, sorted by version, not copies of rows: maps
    // from version to row were 0.8 MB at 10,000 migrations.

    /// The row that currently stands for each version: the newest one, unless it was deleted or undone.
    var live: [Int32] = []
    /// The rows that `repair` marked deleted, of versions without a live row.
    var deleted: [Int32] = []
    /// The runs that were undone last, of versions without a live row.
    var undone: [Int32] = []
    /// Ranks of rows that were applied after a newer version.
    var outOfOrderRanks: Set<Int> = []

    /// Positions in the catalog's repeatable migrations.
    let repeatablesByDescription: [String: Int]
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
        self.sources = PlanSources(rows: ranked ? history : history.sorted { $0.installedRank < $1.installedRank }, catalog: catalog)
        // One line per file or history row, and mostly one for both.
        infos.reserveCapacity(max(catalog.versioned.count + catalog.baselines.count + catalog.repeatables.count, history.count))
        // The catalog guarantees unique keys within each kind.
        repeatablesByDescription = Dictionary(uniqueKeysWithValues: catalog.repeatables.enumerated().map { ($1.description, $0) })
        undoVersions = Set(catalog.undos.compactMap(\.version))
    }

    mutating func build() -> Plan {
        indexVersionedRows()
        var current: MigrationVersion?
        var baselineVersion: MigrationVersion?
        for index in live.lazy.map(Int.init) where rows[index].success {
            let version = rows[index].version!
            current = max(current ?? version, version)
            if rows[index].type == .baseline || rows[index].type == .sqlBaseline {
                baselineVersion = max(baselineVersion ?? version, version)
            }
        }

        planAppliedVersions()
        planBaselineMigration(atZero: live.isEmpty)
        planPendingVersions(current: current, baselineVersion: baselineVersion)
        planRepeatables()

        // Usually already in order (applied versions, then pending ones): sorting anyway would
        // allocate a buffer half the size of the lines (0.8 MB at 10,000 migrations).
        if zip(infos, infos.dropFirst()).contains(where: { listedBefore($1, $0) }) {
            infos.sort(by: listedBefore)
        }
        // The steps go into one array built in place: the copies that joined the baseline, the
        // versions and the repeatables were 3.4 MB at 10,000 migrations.
        var steps = versionedSteps
        versionedSteps = []
        if let baselineStep { steps.insert(baselineStep, at: 0) }
        if let limit = options.target.stepLimit, steps.count > limit { steps.removeSubrange(limit...) }
        let versionCount = steps.count
        steps.append(contentsOf: repeatableSteps)
        let gate = ContractGate.findings(steps: steps[..<versionCount], catalog: catalog, infos: infos)
        var plan = Plan(infos: infos, steps: steps, findings: findings + gate, currentVersion: current)
        plan.awaitingContract = awaitingContract
        return plan
    }

    // MARK: Versioned history

    private mutating func indexVersionedRows() {
        var positions: [Int32] = []
        // The versions standing as each row was written (an undo or a delete takes one away,
        // so a version applied again after its undo is not out of order), and the newest.
        var standing = Set<MigrationVersion>()
        var newestSoFar: MigrationVersion?
        for (index, row) in rows.enumerated() {
            guard let version = row.version, row.type != .schema else { continue }
            positions.append(Int32(index))
            guard row.success else { continue }
            if [.delete, .undoSQL, .undoSwift].contains(row.type) {
                standing.remove(version)
                if version == newestSoFar { newestSoFar = standing.max() }
                continue
            }
            if let newest = newestSoFar, version < newest, row.type != .baseline, row.type != .sqlBaseline {
                outOfOrderRanks.insert(row.installedRank)
            }
            standing.insert(version)
            newestSoFar = max(newestSoFar ?? version, version)
        }
        // By version, each version's rows in the order they were written; usually so already.
        let rows = rows
        func byVersion(_ left: Int32, _ right: Int32) -> Bool {
            (rows[Int(left)].version!, left) < (rows[Int(right)].version!, right)
        }
        if zip(positions, positions.dropFirst()).contains(where: { !byVersion($0, $1) }) { positions.sort(by: byVersion) }
        var start = positions.startIndex
        while start < positions.endIndex {
            let version = rows[Int(positions[start])].version!
            var (standing, deletedRow, undoneRow): (Int32?, Int32?, Int32?) = (nil, nil, nil)
            var end = start
            while end < positions.endIndex, rows[Int(positions[end])].version! == version {
                let row = rows[Int(positions[end])]
                switch row.type {
                case .delete:
                    if let stood = standing { (standing, deletedRow) = (nil, stood) }
                case .undoSQL, .undoSwift:
                    if row.success, let stood = standing { (standing, undoneRow) = (nil, stood) }
                default:
                    (standing, deletedRow, undoneRow) = (positions[end], nil, nil)
                }
                end += 1
            }
            if let standing { live.append(standing) }
            if let deletedRow { deleted.append(deletedRow) }
            if let undoneRow { undone.append(undoneRow) }
            start = end
        }
    }

    /// The position of the row that stands for a version, by binary search in ``live``.
    private func liveRow(of version: MigrationVersion) -> Int? {
        var low = 0
        var high = live.count
        while low < high {
            let middle = (low + high) / 2
            if rows[Int(live[middle])].version! < version { low = middle + 1 } else { high = middle }
        }
        return low < live.count && rows[Int(live[low])].version! == version ? Int(live[low]) : nil
    }

    /// The catalog is sorted by version, so the newest file is the last of each kind.
    private var newestFileVersion: MigrationVersion? {
        [catalog.versioned.last?.version, catalog.baselines.last?.version].compactMap { $0 }.max()
    }

    private mutating func planAppliedVersions() {
        let newestFile = newestFileVersion
        for index in live.lazy.map(Int.init) {
            let row = rows[index]
            let version = row.version!
            let kind: Migration.Kind
            switch row.type {
            case .baseline:
                add(kind: .baseline, row: index, state: .baseline)
                continue
            case .sqlBaseline: kind = .baseline
            default: kind = .versioned
            }
            let files = catalog.files(of: kind)
            guard let file = Catalog.position(of: version, in: files).map({ files[$0] }) else {
                if !row.success {
                    findings.append(.failed(row))
                    add(kind: kind, row: index, state: .failed)
                } else if let newestFile, version <= newestFile {
                    findings.append(.missing(row))
                    add(kind: kind, row: index, state: .missing)
                } else {
                    add(kind: kind, row: index, state: .future)
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
            add(kind: kind, row: index, state: state)
        }
        for index in deleted.lazy.map(Int.init) {
            add(kind: rows[index].type == .sqlBaseline ? .baseline : .versioned, row: index, state: .deleted)
        }
        for index in undone.lazy.map(Int.init) {
            add(kind: .versioned, row: index, state: .undone)
        }
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
              let chosen = catalog.baselines.lastIndex(where: { options.target.allows($0.version!, current: nil) })
        else { return }
        baselineStep = PlannedStep(migration: catalog.baselines[chosen], type: .sqlBaseline, reason: .baselineMigration)
        add(kind: .baseline, file: chosen, state: .pending)
    }

    private mutating func planPendingVersions(current: MigrationVersion?, baselineVersion: MigrationVersion?) {
        self.current = current
        // Room for every file without an applied row, as a fresh database schedules them all,
        // and for the baseline and repeatables that join them in ``build()``: grown by
        // doubling, 10,000 steps took room for 16,384 (2.8 MB).
        versionedSteps.reserveCapacity(max(0, catalog.versioned.count - live.count) + 1 + catalog.repeatables.count)
        let coveredUpTo = [baselineVersion, baselineStep?.migration.version].compactMap { $0 }.max()
        for (position, file) in catalog.versioned.enumerated() {
            let version = file.version!
            if let index = liveRow(of: version), rows[index].type != .baseline, rows[index].type != .sqlBaseline { continue }
            if let coveredUpTo, version <= coveredUpTo {
                add(kind: .versioned, file: position, state: .belowBaseline)
            } else if let current, version < current {
                if options.outOfOrder {
                    add(kind: .versioned, file: position, state: .pending)
                    schedule(file, reason: .outOfOrder)
                } else {
                    findings.append(.ignored(file, newestApplied: current))
                    add(kind: .versioned, file: position, state: .ignored)
                }
            } else if !options.contract && (!awaitingContract.isEmpty || file.phase == .contract) {
                awaitingContract.append(file)
                add(kind: .versioned, file: position, state: file.phase == .contract ? .awaitingContract : .pending)
            } else {
                add(kind: .versioned, file: position, state: .pending)
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
        /// Positions of each repeatable migration's rows, oldest first.
        var runs: [String: [Int]] = [:]
        var deleted: Set<String> = []
        for (index, row) in rows.enumerated() where row.version == nil && row.type != .schema {
            if row.type == .delete {
                deleted.insert(row.description)
            } else {
                runs[row.description, default: []].append(index)
                deleted.remove(row.description)
            }
        }
        for (index, row) in rows.enumerated() where row.version == nil && row.type == .schema {
            add(kind: .repeatable, row: index, state: .success)
        }
        for (description, history) in runs.sorted(by: { $0.value[0] < $1.value[0] }) {
            let position = repeatablesByDescription[description]
            let file = position.map { catalog.repeatables[$0] }
            let latest = history.last!
            let row = rows[latest]
            for older in history.dropLast() {
                add(kind: .repeatable, row: older, state: .superseded)
            }
            if deleted.contains(description) {
                add(kind: .repeatable, row: latest, state: .deleted)
                if let position { schedulePending(position) }
            } else if !row.success {
                findings.append(.failed(row))
                add(kind: .repeatable, row: latest, state: .failed)
            } else if let file {
                if row.checksum == file.checksum {
                    add(kind: .repeatable, row: latest, state: .success)
                } else {
                    add(kind: .repeatable, row: latest, state: .outdated)
                    repeatableSteps.append(PlannedStep(migration: file, type: .of(file), reason: .outdated))
                }
            } else {
                findings.append(.missing(row))
                add(kind: .repeatable, row: latest, state: .missing)
            }
        }
        for (position, file) in catalog.repeatables.enumerated() where runs[file.description] == nil {
            schedulePending(position)
        }
        repeatableSteps.sort { $0.migration.description < $1.migration.description }
    }

    private mutating func schedulePending(_ position: Int) {
        let file = catalog.repeatables[position]
        add(kind: .repeatable, file: position, state: .pending)
        repeatableSteps.append(PlannedStep(migration: file, type: .of(file), reason: .pending))
    }

    // MARK: Infos

    /// A line for a history row (`row`, a position in ``rows``) or, without one, a file (`file`,
    /// a position in the catalog's list of `kind`).
    private mutating func add(kind: Migration.Kind, row: Int? = nil, file: Int? = nil, state: MigrationState) {
        let source: MigrationInfo.Source = row.map { .row(Int32($0)) } ?? .file(kind, Int32(file!))
        let version = row.map { rows[$0].version } ?? catalog.files(of: kind)[file!].version
        infos.append(MigrationInfo(
            kind: kind, state: state, undoable: kind == .versioned && version.map(undoVersions.contains) == true,
            source: source, in: sources))
    }
}

/// The order of `info`: versioned migrations by version (a baseline before the migration it
/// covers), then repeatable ones: applied runs in the order they ran, pending ones by description.
private func listedBefore(_ left: MigrationInfo, _ right: MigrationInfo) -> Bool {
    switch (left.version, right.version) {
    case (let l?, let r?):
        if l != r { return l < r }
        if (left.kind == .baseline) != (right.kind == .baseline) { return left.kind == .baseline }
        return (left.installedRank ?? .max) < (right.installedRank ?? .max)
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil):
        switch (left.installedRank, right.installedRank) {
        case (let l?, let r?): return l < r
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return left.description < right.description
        }
    }
}
