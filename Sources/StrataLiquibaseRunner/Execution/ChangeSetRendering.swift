import StrataLiquibase
import StrataSchema

/// What the runner needs of a changeset beyond its attributes: its checksums, the SQL of its
/// changes and of their rollback for the target engine, and the description Liquibase records.
/// The changelog module provides these; tests give simpler ones.
public protocol ChangeSetRendering {
    /// The `N:…` checksum of `version` for the target engine.
    func checksum(_ changeSet: ChangeSet, version: ChecksumVersion) throws -> String
    /// The statements its changes run, in order; some (SQLite's `PRAGMA foreign_keys` around a
    /// table rebuild) must run outside its transaction.
    func statements(_ changeSet: ChangeSet) throws -> [SchemaStatement]
    /// The statements that undo it: its `<rollback>`, else the inverse of its changes.
    /// - Throws: when it has neither.
    func rollbackStatements(_ changeSet: ChangeSet) throws -> [SchemaStatement]
    /// `DESCRIPTION`: each change's short description (`createTable tableName=person`), joined by `; `.
    func description(_ changeSet: ChangeSet) -> String
}
