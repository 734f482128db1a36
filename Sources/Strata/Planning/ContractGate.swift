/// The rule that keeps a contract migration from running early: it may remove what an expand
/// migration before it still needs, so it waits while any such one is pending and will not
/// run first (older than the newest applied version and ignored, or beyond the target).
enum ContractGate {
    static func findings(steps: ArraySlice<PlannedStep>, catalog: Catalog, infos: [MigrationInfo]) -> [Finding] {
        guard let contract = steps.first(where: { $0.migration.phase == .contract })?.migration, let version = contract.version else { return [] }
        let scheduled = Set(steps.compactMap(\.migration.version))
        let pending = Set(infos.filter { $0.state == .pending || $0.state == .ignored }.compactMap(\.version))
        guard let expand = catalog.versioned.first(where: { file in
            guard let candidate = file.version else { return false }
            return candidate < version && pending.contains(candidate) && !scheduled.contains(candidate) && file.phase == .expand
        }) else { return [] }
        return [.contractBeforePendingExpand(contract: contract, expand: expand)]
    }
}
