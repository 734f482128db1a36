/// The change types of Liquibase's core (its XML element names). Extension and Pro types are
/// not here: reading one is an error that names it, rather than a change silently skipped.
public enum ChangeKind: String, Sendable, Hashable, CaseIterable {
    case createTable, dropTable, renameTable
    case addColumn, dropColumn, renameColumn, modifyDataType
    case addNotNullConstraint, dropNotNullConstraint
    case addDefaultValue, dropDefaultValue
    case addUniqueConstraint, dropUniqueConstraint
    case addForeignKeyConstraint, dropForeignKeyConstraint, dropAllForeignKeyConstraints
    case addPrimaryKey, dropPrimaryKey
    case createIndex, dropIndex
    case createView, dropView, renameView
    case createSequence, alterSequence, dropSequence, renameSequence
    case addAutoIncrement
    case sql, sqlFile
    case insert, update, delete
    case loadData, loadUpdateData
    case tagDatabase
    case addLookupTable, mergeColumns
    case setTableRemarks, setColumnRemarks
    case createProcedure, dropProcedure
    case output, empty, stop
    /// A Java class (`class=`) that only Liquibase can run.
    case customChange
    /// An operating-system program (`executable=`), never run by Strata.
    case executeCommand

    /// The attribute an element's text fills (`<sql>text</sql>`, `<createView>query</createView>`),
    /// as Liquibase maps it, so XML text and a YAML key are the same field.
    var textField: String? {
        switch self {
        case .sql: "sql"
        case .createView: "selectQuery"
        case .createProcedure: "procedureText"
        case .stop, .output: "message"
        default: nil
        }
    }
}

/// One change of a changeset: its kind and what was written for it. The attributes stay as
/// written (``node``) because Liquibase's checksum hashes them as written; typed accessors
/// (``Change+Fields``) read them for rendering.
public struct Change: Sendable, Hashable {
    /// Which change type.
    public var kind: ChangeKind
    /// The element as written, with its text moved into ``ChangeKind/textField`` and
    /// `${…}` properties already replaced.
    public var node: ChangelogNode
    /// Contents of files the change names (`sqlFile`'s `path`, `loadData`'s CSV), read when the
    /// changelog is loaded so that rendering and checksums stay pure.
    /// As read: Liquibase (since 4.26) hashes an `sqlFile` before replacing its properties.
    public var fileContents: String?
    /// ``fileContents`` with `${…}` replaced, which is what runs.
    public var expandedFileContents: String?

    public init(kind: ChangeKind, node: ChangelogNode, fileContents: String? = nil, expandedFileContents: String? = nil) {
        self.kind = kind
        self.node = node
        self.fileContents = fileContents
        self.expandedFileContents = expandedFileContents ?? fileContents
    }

    /// Where the change is written.
    public var location: ChangelogLocation { node.location }

    /// The value of attribute `name`, or nil.
    public func string(_ name: String) -> String? { node.string(name) }

    /// A boolean attribute; nil when absent.
    public func bool(_ name: String) -> Bool? { string(name).map { $0.lowercased() == "true" } }
}
