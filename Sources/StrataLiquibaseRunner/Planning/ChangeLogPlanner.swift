import StrataLiquibase

/// Decides, from the changelog and `DATABASECHANGELOG` alone, what a run does with each
/// changeset, as Liquibase's update decides it. No I/O: preconditions, which need the database,
/// are evaluated by the runner when a changeset's turn comes.
public enum ChangeLogPlanner {
    public static func plan(_ changeSets: [ChangeSetFacts], rows: [ChangeLogRow],
                            options: ChangeLogPlanOptions = ChangeLogPlanOptions()) -> ChangeLogPlan {
        var stored: [ChangeSetIdentity: ChangeLogRow] = [:]
        for row in rows { stored[row.identity] = row }
        var planned: [PlannedChangeSet] = []
        var upgrades: [ChecksumUpgrade] = []
        var findings: [ChangeLogFinding] = []
        var known = Set<ChangeSetIdentity>()
        var counted = 0
        var pastTag = false
        for (index, facts) in changeSets.enumerated() {
            known.insert(facts.identity)
            let row = stored[facts.identity]
            defer {
                if let wanted = options.upToTag, facts.tag == wanted || row?.tag == wanted { pastTag = true }
            }
            if let row, !facts.accepts(stored: row.checksum), !facts.runOnChange {
                findings.append(.checksumChanged(facts.identity, location: facts.location, stored: row.checksum ?? "",
                                                 current: facts.checksum))
            }
            var decision = decide(facts, row: row, options: options)
            if decision.isStep {
                if pastTag || options.count.map({ counted >= $0 }) == true { decision = .skip(.beyondTarget) } else { counted += 1 }
            }
            if case .run = decision, let className = facts.customChange {
                if options.skipCustomChanges {
                    decision = .record(.markRan)
                } else {
                    findings.append(.customChange(facts.identity, location: facts.location, className: className))
                }
            }
            // A row that stays, for a changeset the run's filters let through, takes the current checksum.
            if let row, decision == .skip(.alreadyRan), row.checksum != facts.checksum, facts.accepts(stored: row.checksum) {
                upgrades.append(ChecksumUpgrade(identity: facts.identity, checksum: facts.checksum))
            }
            planned.append(PlannedChangeSet(index: index, identity: facts.identity, decision: decision, checksum: facts.checksum))
        }
        if let tag = options.upToTag, !pastTag, !rows.contains(where: { $0.tag == tag }) { findings.append(.unknownTag(tag)) }
        return ChangeLogPlan(changeSets: planned, checksumUpgrades: upgrades, findings: findings,
                             unknownRows: rows.filter { !known.contains($0.identity) })
    }

    private static func decide(_ facts: ChangeSetFacts, row: ChangeLogRow?, options: ChangeLogPlanOptions) -> ChangeSetDecision {
        if facts.ignored { return .skip(.ignored) }
        if let reason = facts.filteredOut { return .skip(.filtered(reason)) }
        guard let row else { return options.markRanOnly ? .record(.executed) : .run(.executed) }
        if options.markRanOnly { return .skip(.alreadyRan) }
        if facts.runAlways { return .run(.reran) }
        if facts.runOnChange, !facts.accepts(stored: row.checksum) { return .run(.reran) }
        return .skip(.alreadyRan)
    }
}

extension ChangeSetDecision {
    var isStep: Bool {
        if case .skip = self { false } else { true }
    }

    /// How its row is recorded (MARK_RAN for a skip, which records nothing).
    var execType: ExecType {
        switch self {
        case .run(let type), .record(let type): type
        case .skip: .markRan
        }
    }
}
