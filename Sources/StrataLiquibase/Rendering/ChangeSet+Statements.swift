import Foundation
import StrataSchema

extension ChangeSet {
    /// The statements that apply this changeset on `flavor`, in order, with its `modifySql`
    /// edits for this engine and these contexts and labels applied. Changes whose `dbms`
    /// excludes the engine are left out, as Liquibase leaves them out.
    ///
    /// - Throws: ``ChangelogError`` when a change cannot run here: a custom change or OS
    ///   command (``ChangelogError/Reason/cannotRunHere(_:changeSet:detail:)``), a `stop`
    ///   (``ChangelogError/Reason/stopRequested(_:)``), or a change the engine cannot make.
    ///
    /// - Parameter schema: the database's schema before the changeset, read by the runner.
    ///   With it, a change SQLite's `ALTER TABLE` cannot make (a default, NOT NULL, a key or
    ///   constraint, a type) becomes a rebuild of the table; without it, that is an error.
    public func statements(for flavor: SQLFlavor, contexts: Set<String> = [], labels: LabelExpression = .empty,
                           schema: Schema? = nil) throws(ChangelogError) -> [SchemaStatement] {
        let statements = try render(changes, flavor: flavor, schema: schema)
        return modify(statements, flavor: flavor, contexts: contexts, labels: labels, rollback: false)
    }

    /// The statements that undo this changeset on `flavor`: its `<rollback>` when it has one,
    /// otherwise the inverse of each change in reverse order (Liquibase's automatic rollback).
    ///
    /// - Throws: ``ChangelogError/Reason/noAutomaticRollback(_:changeSet:)`` naming the first
    ///   change without an inverse, when the changeset gives no rollback.
    public func rollbackStatements(for flavor: SQLFlavor, contexts: Set<String> = [], labels: LabelExpression = .empty,
                                   schema: Schema? = nil) throws(ChangelogError) -> [SchemaStatement] {
        let statements = try render(try rollbackChanges(), flavor: flavor, schema: schema)
        return modify(statements, flavor: flavor, contexts: contexts, labels: labels, rollback: true)
    }

    /// The changes a rollback runs: the explicit ones, or the derived inverses.
    public func rollbackChanges() throws(ChangelogError) -> [Change] {
        if let rollback { return rollback }
        var inverses: [Change] = []
        for change in changes.reversed() {
            guard let inverse = change.inverse else {
                throw ChangelogError(.noAutomaticRollback(change.kind, changeSet: identity), at: change.location)
            }
            inverses += inverse
        }
        return inverses
    }

    /// The `output` messages Liquibase prints when the changeset runs.
    public var outputMessages: [String] {
        changes.filter { $0.kind == .output }.compactMap { $0.string("message") }
    }

    /// Liquibase's DESCRIPTION column: each change's name and its attributes whose names end
    /// in `name` (not schema or catalog ones), sorted, as `createTable tableName=person`; the
    /// changes joined by `; `, and `empty` for none. The history table cuts it to 250 characters.
    public var changeDescription: String {
        guard !changes.isEmpty else { return "empty" }
        return changes.map { change in
            let names = change.node.children.filter { leaf in
                let name = leaf.name.lowercased()
                return leaf.isLeaf && leaf.value != nil && name.hasSuffix("name") && !name.contains("schema") && !name.contains("catalog")
            }.map { "\($0.name)=\($0.value ?? "")" }.sorted()
            return ([change.kind.rawValue] + [names.joined(separator: ", ")]).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "; ")
    }

    private func render(_ changes: [Change], flavor: SQLFlavor, schema: Schema?) throws(ChangelogError) -> [SchemaStatement] {
        var statements: [SchemaStatement] = []
        var schema = schema
        for change in changes {
            if LiquibaseChecksum.dbmsTargeted.contains(change.kind),
               !DatabaseList.matches(DatabaseList.split(change.string("dbms")), database: flavor.liquibaseName) { continue }
            var renderer = ChangeRenderer(change: change, flavor: flavor, changeSet: identity, schema: schema)
            statements += try renderer.statements()
            schema = renderer.schema
        }
        return statements
    }

    private func modify(_ statements: [SchemaStatement], flavor: SQLFlavor, contexts: Set<String>, labels: LabelExpression, rollback: Bool) -> [SchemaStatement] {
        let edits = modifySQL.filter { edit in
            (!rollback || edit.applyToRollback) && DatabaseList.matches(edit.dbms, database: flavor.liquibaseName)
                && edit.context.matches(contexts) && labels.matches(edit.labels)
        }
        guard !edits.isEmpty else { return statements }
        return statements.map { statement in
            var sql = DefinitionText.trimmed(statement.sql)
            for edit in edits {
                switch edit.edit {
                case .prepend(let text): sql = text + sql
                case .append(let text): sql += text
                case .replace(let text, let with): sql = sql.replacing(text, with: with)
                case .regExpReplace(let pattern, let with):
                    if let regex = try? NSRegularExpression(pattern: pattern) {
                        sql = regex.stringByReplacingMatches(in: sql, range: NSRange(sql.startIndex..., in: sql), withTemplate: with)
                    }
                }
            }
            return SchemaStatement(sql + ";", outsideTransaction: statement.outsideTransaction)
        }
    }
}
