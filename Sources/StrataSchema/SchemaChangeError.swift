/// Why a change cannot be written for an engine, or two schemas cannot be diffed.
public enum SchemaChangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The engine has no such object or statement (SQLite has no enum types, functions…).
    case unsupported(String, flavor: SQLFlavor)
    /// SQLite cannot alter this in place; the diff turns it into a table rebuild.
    case needsTableRebuild(table: QualifiedName, change: String)
    /// PostgreSQL drops constraints by name and cannot derive this one's.
    case unnamedConstraint(table: QualifiedName, constraint: String)
    case renamedTableNotFound(from: QualifiedName, to: QualifiedName)
    case renamedColumnNotFound(table: QualifiedName, from: String, to: String)
    /// PostgreSQL cannot drop or reorder an enum's values.
    case enumValuesRemovedOrReordered(type: QualifiedName, from: [String], to: [String])
    /// PostgreSQL cannot change a domain's underlying type.
    case domainTypeChanged(domain: QualifiedName, from: String, to: String)

    /// The message, with what to do instead where there is something.
    public var description: String {
        switch self {
        case .unsupported(let what, let flavor):
            "\(flavor.rawValue) has no \(what)"
        case .needsTableRebuild(let table, let change):
            "SQLite cannot \(change) on \(table) with ALTER TABLE; diff the schemas to get a table rebuild"
        case .unnamedConstraint(let table, let constraint):
            "cannot drop the unnamed constraint \(constraint) on \(table): PostgreSQL drops constraints by name; give it its name"
        case .renamedTableNotFound(let from, let to):
            "cannot rename table \(from) to \(to): \(from) is not in the old schema or \(to) not in the new one"
        case .renamedColumnNotFound(let table, let from, let to):
            "cannot rename column \(table).\(from) to \(to): \(from) is not in the old table or \(to) not in the new one"
        case .enumValuesRemovedOrReordered(let type, let from, let to):
            "enum \(type) goes from (\(from.joined(separator: ", "))) to (\(to.joined(separator: ", "))): PostgreSQL can only add values; write this change by hand"
        case .domainTypeChanged(let domain, let from, let to):
            "domain \(domain) changes type from \(from) to \(to): PostgreSQL cannot alter a domain's type; write this change by hand"
        }
    }
}
