import StrataLiquibase

/// How Liquibase recorded a changeset in `DATABASECHANGELOG` (its `EXECTYPE` column).
public enum ExecType: String, Sendable, Equatable, CaseIterable {
    /// Ran for the first time.
    case executed = "EXECUTED"
    /// Ran again: `runAlways`, or `runOnChange` after its checksum changed. The row is updated, not added.
    case reran = "RERAN"
    /// Recorded as applied without running: a precondition with `onFail="MARK_RAN"`,
    /// `changelog-sync`, or a custom change skipped on request.
    case markRan = "MARK_RAN"
}

/// One row of `DATABASECHANGELOG`, as read from the database.
public struct ChangeLogRow: Sendable, Equatable {
    public var identity: ChangeSetIdentity
    /// As the engine returns it as text; Liquibase orders by it first.
    public var dateExecuted: String
    public var orderExecuted: Int
    /// As written: Liquibase's enumeration also has FAILED and SKIPPED, which old tables may hold.
    public var execType: String
    /// `9:…` (or an older version's prefix); nil after `clear-checksums`.
    public var checksum: String?
    public var description: String?
    public var comments: String?
    public var tag: String?
    /// The Liquibase version that wrote the row.
    public var liquibase: String?
    public var contexts: String?
    public var labels: String?
    public var deploymentID: String?

    public init(identity: ChangeSetIdentity, dateExecuted: String = "", orderExecuted: Int = 0, execType: String = "EXECUTED",
                checksum: String?, description: String? = nil, comments: String? = nil, tag: String? = nil,
                liquibase: String? = nil, contexts: String? = nil, labels: String? = nil, deploymentID: String? = nil) {
        self.identity = identity
        self.dateExecuted = dateExecuted
        self.orderExecuted = orderExecuted
        self.execType = execType
        self.checksum = checksum
        self.description = description
        self.comments = comments
        self.tag = tag
        self.liquibase = liquibase
        self.contexts = contexts
        self.labels = labels
        self.deploymentID = deploymentID
    }
}

/// What Strata writes for a changeset it ran or marked ran: every column but `DATEEXECUTED`
/// (the engine's clock) and `ORDEREXECUTED` (the next number).
public struct ChangeLogWrite: Sendable, Equatable {
    public var identity: ChangeSetIdentity
    public var execType: ExecType
    public var checksum: String
    public var description: String
    public var comments: String
    public var tag: String?
    public var contexts: String?
    public var labels: String?
    public var deploymentID: String

    public init(identity: ChangeSetIdentity, execType: ExecType, checksum: String, description: String, comments: String,
                tag: String?, contexts: String?, labels: String?, deploymentID: String) {
        self.identity = identity
        self.execType = execType
        self.checksum = checksum
        self.description = Self.limited(description)
        self.comments = Self.limited(comments.trimmingWhitespace)
        self.tag = tag
        self.contexts = contexts
        self.labels = labels
        self.deploymentID = deploymentID
    }

    /// Liquibase's `StringUtil.limitSize(text, 250)`: past 250 UTF-16 units (Java's length),
    /// the first 247 and `...`.
    static func limited(_ text: String) -> String {
        text.utf16.count > 250 ? String(decoding: Array(text.utf16.prefix(247)), as: UTF16.self) + "..." : text
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
