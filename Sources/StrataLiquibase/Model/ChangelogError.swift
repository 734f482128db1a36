/// Why a changelog cannot be read or a changeset cannot be rendered: always with the file and
/// line to look at, what is wrong, and where there is one, what to do.
public struct ChangelogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value a caller can match on.
    public enum Reason: Sendable, Hashable {
        /// The file is not well-formed XML, YAML, JSON or formatted SQL.
        case malformed(String)
        /// An element, key or attribute that Liquibase does not know in this place.
        case unknownElement(String, context: String)
        /// A required attribute is missing.
        case missingAttribute(String, element: String)
        /// An attribute has a value Liquibase does not accept.
        case invalidValue(attribute: String, value: String, expected: String)
        /// An included file or a file a change names is not there.
        case fileNotFound(String)
        /// A context, label or dbms expression that does not parse.
        case expression(FilterExpressionError)
        /// Two changesets with the same id, author and path.
        case duplicateChangeSet(ChangeSetIdentity)
        /// A change Strata cannot run (a Java custom change, an OS command).
        case cannotRunHere(ChangeKind, changeSet: ChangeSetIdentity, detail: String)
        /// A change with no automatic rollback in a changeset that gives none.
        case noAutomaticRollback(ChangeKind, changeSet: ChangeSetIdentity)
        /// A `stop` change: the run halts here, with its message.
        case stopRequested(String)
        /// A change that cannot be written for this database.
        case unsupported(ChangeKind, flavor: String, detail: String)
    }

    public var reason: Reason
    public var location: ChangelogLocation

    public init(_ reason: Reason, at location: ChangelogLocation) {
        self.reason = reason
        self.location = location
    }

    /// One paragraph: where, what, and what to do.
    public var description: String {
        "\(location): " + {
            switch reason {
            case .malformed(let detail):
                "the changelog cannot be read: \(detail)."
            case .unknownElement(let name, let context):
                "\"\(name)\" is not something Liquibase knows in \(context); check its spelling or remove it."
            case .missingAttribute(let name, let element):
                "\(element) needs the attribute \(name)."
            case .invalidValue(let attribute, let value, let expected):
                "\(attribute)=\"\(value)\" is not valid; expected \(expected)."
            case .fileNotFound(let path):
                "the file \(path) does not exist; check the path (and relativeToChangelogFile)."
            case .expression(let error):
                "\(error); write it with and/or/not and parentheses, names separated by commas only at the top level."
            case .duplicateChangeSet(let identity):
                "the changeset \(identity) is defined twice; give one of them another id."
            case .cannotRunHere(let kind, let changeSet, let detail):
                "changeset \(changeSet) holds a \(kind.rawValue) (\(detail)), which only Liquibase can run; replace it with sql, or mark the changeset ran with --skip-custom-changes."
            case .noAutomaticRollback(let kind, let changeSet):
                "changeset \(changeSet) cannot be rolled back: Liquibase derives no rollback for \(kind.rawValue); add a <rollback> block to it."
            case .stopRequested(let message):
                "the changelog stops here: \(message)."
            case .unsupported(let kind, let flavor, let detail):
                "\(kind.rawValue) cannot be written for \(flavor): \(detail)."
            }
        }()
    }
}
