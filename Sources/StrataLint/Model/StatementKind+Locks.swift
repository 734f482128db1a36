extension StatementKind {
    /// The tables this statement locks ACCESS EXCLUSIVE, which blocks even reads until the
    /// transaction ends (PostgreSQL's `AlterTableGetLockLevel`: every ALTER TABLE form but
    /// VALIDATE, foreign keys and statistics or storage settings).
    package var accessExclusiveTables: [Relation] {
        switch self {
        case .alterTable(let table, let commands):
            return commands.contains(where: \.takesAccessExclusive) ? [table] : []
        case .drop(.table, let tables, _), .truncate(let tables, _), .vacuum(true, let tables):
            return tables
        case .renameColumn(let table, _, _), .renameTable(let table, _):
            return [table]
        case .cluster(let table?):
            return [table]
        default:
            return []
        }
    }

    /// True for statements that PostgreSQL refuses inside a transaction block because of CONCURRENTLY.
    package var isConcurrent: Bool {
        switch self {
        case .createIndex(let index): index.concurrently
        case .drop(.index, _, true): true
        case .reindex(_, _, true): true
        case .alterTable(_, let commands): commands.contains(.other(AlterCommand.detachConcurrently))
        default: false
        }
    }
}

extension AlterCommand {
    /// `DETACH PARTITION … CONCURRENTLY`, told apart from the plain form (one subtype in the tree).
    static let detachConcurrently = "AT_DetachPartitionConcurrently"

    var takesAccessExclusive: Bool {
        switch self {
        case .validateConstraint: false
        case .addConstraint(let constraint): constraint.kind != .foreignKey
        case .other(let subtype): !["AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_ClusterOn", "AT_DropCluster",
                                    AlterCommand.detachConcurrently, "AT_EnableTrig", "AT_DisableTrig", "AT_EnableTrigAll", "AT_DisableTrigAll", "AT_AttachPartition"].contains(subtype)
        default: true
        }
    }
}
