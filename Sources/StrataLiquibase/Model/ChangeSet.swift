import Foundation

/// What identifies a changeset in `DATABASECHANGELOG`: id, author and the changelog path
/// Liquibase records (FILENAME). Two changesets with the same identity are the same one.
public struct ChangeSetIdentity: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var author: String
    /// The logical file path when one is set, else the path as the changelog was included.
    public var path: String

    public init(id: String, author: String, path: String) {
        self.id = id
        self.author = author
        self.path = path
    }

    /// `path::id::author`, Liquibase's own way of writing it.
    public var description: String { "\(path)::\(id)::\(author)" }
}

/// Where a changeset runs in the order: `first`/`last` move it to the start or end of its
/// changelog's run, as Liquibase's `runOrder` does.
public enum RunOrder: String, Sendable, Hashable {
    case first, last
}

/// One edit of a `modifySql` block: textual changes to the SQL a changeset generates, for some
/// databases and contexts, optionally also on its rollback. Liquibase keeps (and hashes) each
/// edit on its own, with the block's filters, so this does too.
public struct ModifySQL: Sendable, Hashable {
    /// What it does to each statement.
    public enum Edit: Sendable, Hashable {
        case prepend(String)
        case append(String)
        /// Every occurrence of `text` replaced.
        case replace(String, with: String)
        /// Every match of a regular expression replaced.
        case regExpReplace(String, with: String)
    }

    public var edit: Edit
    /// Liquibase database short names it applies to (empty: all).
    public var dbms: [String]
    public var context: ContextExpression
    /// Its labels, which the run's label filter must accept.
    public var labels: Set<String>
    public var applyToRollback: Bool
    /// As written, for the changeset's checksum.
    public var node: ChangelogNode

    public init(edit: Edit, dbms: [String] = [], context: ContextExpression = .empty, labels: Set<String> = [],
                applyToRollback: Bool = false, node: ChangelogNode) {
        self.edit = edit
        self.dbms = dbms
        self.context = context
        self.labels = labels
        self.applyToRollback = applyToRollback
        self.node = node
    }
}

/// One changeset: the unit Liquibase runs, records and rolls back.
public struct ChangeSet: Sendable, Hashable {
    public var id: String
    public var author: String
    /// The path Liquibase records in FILENAME: `logicalFilePath` (of the changeset or its
    /// changelog) when set, else the path the changelog was reached by.
    public var filePath: String
    /// The file the changeset is written in, as opened.
    public var physicalPath: String
    /// `context` / `contextFilter`.
    public var contextFilter: ContextExpression
    /// Filters from the `include`/`includeAll` elements that led here; all must match too.
    public var inheritedContextFilters: [ContextExpression]
    public var labels: Set<String>
    /// Its labels as Liquibase records them in LABELS: those of the includes that led here,
    /// nearest first, then its own, each list as written (a label given twice appears twice).
    public var labelsInOrder: [String]
    /// Database short names it runs on (`postgresql`, `!h2`); empty: all.
    public var dbms: [String]
    public var runOnChange: Bool
    public var runAlways: Bool
    public var failOnError: Bool
    public var runInTransaction: Bool
    public var runOrder: RunOrder?
    public var ignore: Bool
    public var created: String?
    public var comment: String?
    /// `validCheckSum` values that are accepted in place of the computed one (`ANY` accepts all).
    public var validCheckSums: [String]
    public var modifySQL: [ModifySQL]
    public var preconditions: Preconditions?
    public var changes: [Change]
    /// Nil: the rollback is derived from the changes. Empty: an explicit no-op rollback.
    public var rollback: [Change]?
    /// `objectQuotingStrategy` (LEGACY, QUOTE_ALL_OBJECTS, QUOTE_ONLY_RESERVED_WORDS).
    public var objectQuotingStrategy: String?
    /// Where the `<changeSet>` (or `--changeset`) starts.
    public var location: ChangelogLocation

    public init(id: String, author: String, filePath: String, physicalPath: String, location: ChangelogLocation) {
        self.id = id
        self.author = author
        self.filePath = filePath
        self.physicalPath = physicalPath
        self.contextFilter = .empty
        self.inheritedContextFilters = []
        self.labels = []
        self.labelsInOrder = []
        self.dbms = []
        self.runOnChange = false
        self.runAlways = false
        self.failOnError = true
        self.runInTransaction = true
        self.runOrder = nil
        self.ignore = false
        self.created = nil
        self.comment = nil
        self.validCheckSums = []
        self.modifySQL = []
        self.preconditions = nil
        self.changes = []
        self.rollback = nil
        self.objectQuotingStrategy = nil
        self.location = location
    }

    /// Its identity in `DATABASECHANGELOG`.
    public var identity: ChangeSetIdentity { ChangeSetIdentity(id: id, author: author, path: filePath) }

    /// Whether it runs under the given `--contexts`: its own filter and every inherited one.
    public func matches(contexts: Set<String>) -> Bool {
        ([contextFilter] + inheritedContextFilters).allSatisfy { $0.matches(contexts) }
    }

    /// Whether it runs under the `--label-filter`.
    public func matches(labelFilter: LabelExpression) -> Bool {
        labelFilter.matches(labels)
    }

    /// Whether it runs on `database` (a Liquibase short name such as `postgresql` or `sqlite`).
    public func runs(on database: String) -> Bool {
        DatabaseList.matches(dbms, database: database)
    }

    /// The `tag` of a `tagDatabase` change in it, which Liquibase writes into its row's TAG.
    public var tag: String? {
        changes.first { $0.kind == .tagDatabase }?.string("tag")
    }

    /// Customs changes (Java classes) it holds, which Strata cannot run.
    public var customChanges: [Change] {
        changes.filter { $0.kind == .customChange }
    }
}

/// Liquibase's dbms lists (`postgresql, !h2`, `all`, `none`), read the way
/// `DatabaseList.definitionMatches` reads them.
enum DatabaseList {
    static func matches(_ list: [String], database: String) -> Bool {
        let items = list.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if items.isEmpty || items.contains("all") { return true }
        if items.contains("none") { return false }
        let database = database.lowercased()
        if items.contains("!" + database) { return false }
        let positives = items.filter { !$0.hasPrefix("!") }
        return positives.isEmpty || positives.contains(database)
    }

    /// Splits `a, b,!c` into its names.
    static func split(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
