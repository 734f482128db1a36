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
        for (index, facts) in changeSets.enumerated() {
            known.insert(facts.identity)
            let row = stored[facts.identity]
            if let row, !facts.accepts(stored: row.checksum), !facts.runOnChange {
                findings.append(.checksumChanged(facts.identity, location: facts.location, stored: row.checksum ?? "",
                                                 current: facts.checksum))
            }
            var decision = decide(facts, row: row, options: options)
            if decision.isStep {
                if let limit = options.count, counted >= limit { decision = .skip(.beyondCount) } else { counted += 1 }
            }
            if case .run = decision, let className = facts.customChange {
                if options.skipCustomChanges {
                    decision = .markRan
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
        return ChangeLogPlan(changeSets: planned, checksumUpgrades: upgrades, findings: findings,
                             unknownRows: rows.filter { !known.contains($0.identity) })
    }

    private static func decide(_ facts: ChangeSetFacts, row: ChangeLogRow?, options: ChangeLogPlanOptions) -> ChangeSetDecision {
        if facts.ignored { return .skip(.ignored) }
        if let reason = facts.filteredOut { return .skip(.filtered(reason)) }
        guard let row else { return options.markRanOnly ? .markRan : .run(.executed) }
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
}
