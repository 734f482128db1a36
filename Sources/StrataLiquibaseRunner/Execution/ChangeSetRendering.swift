import StrataLiquibase

/// What the runner needs of a changeset beyond its attributes: its checksums, the SQL of its
/// changes and of their rollback for the target engine, and the description Liquibase records.
/// The changelog module provides these; tests give simpler ones.
public protocol ChangeSetRendering {
    /// The `N:…` checksum of `version` for the target engine.
    func checksum(_ changeSet: ChangeSet, version: ChecksumVersion) throws -> String
    /// The statements its changes run, in order.
    func statements(_ changeSet: ChangeSet) throws -> [String]
    /// The statements that undo it: its `<rollback>`, else the inverse of its changes.
    /// - Throws: when it has neither.
    func rollbackStatements(_ changeSet: ChangeSet) throws -> [String]
    /// `DESCRIPTION`: each change's short description (`createTable tableName=person`), joined by `; `.
    func description(_ changeSet: ChangeSet) -> String
}
