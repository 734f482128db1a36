import Foundation
import Strata
import StrataLiquibase
import StrataLiquibaseRunner
import StrataSchema

/// Changesets of `sql` changes written by hand, and a rendering for them that needs nothing of
/// the changelog module's renderer: the runner's behaviour is tested on its own.
struct SQLChangeSets {
    var path = "db/changelog.xml"
    var line = 1

    mutating func make(_ id: String, _ sql: String, rollback: String? = nil, configure: (inout ChangeSet) -> Void = { _ in }) -> ChangeSet {
        line += 5
        var changeSet = ChangeSet(id: id, author: "ann", filePath: path, physicalPath: path, location: ChangelogLocation(file: path, line: line))
        changeSet.changes = [Self.sql(sql, line: line + 1)]
        changeSet.rollback = rollback.map { [Self.sql($0, line: line + 2)] }
        configure(&changeSet)
        return changeSet
    }

    static func sql(_ text: String, line: Int) -> Change {
        let location = ChangelogLocation(file: "db/changelog.xml", line: line)
        return Change(kind: .sql, node: ChangelogNode(name: "sql", children: [ChangelogNode(name: "sql", value: text, location: location)], location: location))
    }
}

/// Checksums from the SQL text (a stand-in with the right shape), statements split on `;`.
struct SQLOnlyRendering: ChangeSetRendering {
    func checksum(_ changeSet: ChangeSet, version: ChecksumVersion) throws -> String {
        let text = changeSet.changes.compactMap { $0.string("sql") }.joined(separator: "|")
        var hash: UInt64 = 1469598103934665603
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return "\(version.rawValue):" + String(hash, radix: 16)
    }

    func statements(_ changeSet: ChangeSet) throws -> [SchemaStatement] {
        split(changeSet.changes)
    }

    func rollbackStatements(_ changeSet: ChangeSet) throws -> [SchemaStatement] {
        guard let rollback = changeSet.rollback else { throw NoRollback() }
        return split(rollback)
    }

    func description(_ changeSet: ChangeSet) -> String {
        changeSet.changes.map(\.kind.rawValue).joined(separator: "; ")
    }

    private func split(_ changes: [Change]) -> [SchemaStatement] {
        changes.compactMap { $0.string("sql") }.flatMap { $0.split(separator: ";").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }.map { SchemaStatement($0) }
    }

    struct NoRollback: Error, CustomStringConvertible {
        var description: String { "it has no <rollback>" }
    }
}
