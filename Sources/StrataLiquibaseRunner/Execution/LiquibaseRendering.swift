import StrataLiquibase
import StrataSchema

/// The changelog module's checksums and SQL for one engine: what ``ChangeLogRunner`` runs
/// when it reads a real changelog.
public struct LiquibaseRendering: ChangeSetRendering {
    public let flavor: SQLFlavor
    /// The run's contexts and labels, which choose the `modifySql` edits that apply.
    public let contexts: Set<String>
    public let labels: LabelExpression

    public init(flavor: SQLFlavor, contexts: Set<String> = [], labels: LabelExpression = .empty) {
        self.flavor = flavor
        self.contexts = contexts
        self.labels = labels
    }

    public func checksum(_ changeSet: ChangeSet, version: ChecksumVersion) throws -> String {
        changeSet.checksum(version, database: flavor.liquibaseName)
    }

    public func statements(_ changeSet: ChangeSet) throws -> [SchemaStatement] {
        try changeSet.statements(for: flavor, contexts: contexts, labels: labels)
    }

    public func rollbackStatements(_ changeSet: ChangeSet) throws -> [SchemaStatement] {
        try changeSet.rollbackStatements(for: flavor, contexts: contexts, labels: labels)
    }

    public func description(_ changeSet: ChangeSet) -> String {
        changeSet.changeDescription
    }
}
