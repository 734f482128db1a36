/// One element of a changelog as written, whatever the format: XML elements and attributes,
/// YAML and JSON mappings, and the attributes of a formatted-SQL changeset all become this
/// tree, so one builder turns every format into the same changesets, and the checksum
/// serializer (which hashes what was written, as Liquibase does) has one input.
///
/// Attributes are children that hold only a ``value``; text content is the node's own value.
/// Equality ignores ``location``: the same changeset read from XML and from YAML is equal.
public struct ChangelogNode: Sendable, CustomStringConvertible {
    /// The element or key name (`createTable`, `column`, `tableName`).
    public var name: String
    /// An attribute's value or an element's text; nil when there is none.
    public var value: String?
    /// Attributes and nested elements, in the order written.
    public var children: [ChangelogNode]
    /// Where the node starts.
    public var location: ChangelogLocation

    public init(name: String, value: String? = nil, children: [ChangelogNode] = [], location: ChangelogLocation) {
        self.name = name
        self.value = value
        self.children = children
        self.location = location
    }

    /// A leaf: an attribute and its value.
    public var isLeaf: Bool { children.isEmpty }

    /// The value of the attribute `name` (or of a child element with only text), or nil.
    public func string(_ name: String) -> String? {
        children.first { $0.name == name && $0.isLeaf }?.value
    }

    /// Every child named `name`, in order.
    public func children(named name: String) -> [ChangelogNode] {
        children.filter { $0.name == name }
    }

    /// The first child named `name`, or nil.
    public func child(_ name: String) -> ChangelogNode? {
        children.first { $0.name == name }
    }

    /// `name(attr=value, …)`, for messages.
    public var description: String {
        let leaves = children.filter(\.isLeaf).map { "\($0.name)=\($0.value ?? "")" }
        return name + (leaves.isEmpty ? "" : "(" + leaves.joined(separator: ", ") + ")")
    }

    /// Leaves first (sorted by name, stably), then nested elements in their order: how XML
    /// attributes and YAML keys, written in different orders, compare equal.
    func canonical() -> ChangelogNode {
        var copy = self
        let leaves = children.filter(\.isLeaf).enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }
        copy.children = leaves.map(\.element) + children.filter { !$0.isLeaf }.map { $0.canonical() }
        return copy
    }
}

extension ChangelogNode: Hashable {
    public static func == (lhs: ChangelogNode, rhs: ChangelogNode) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value && lhs.children == rhs.children
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(value)
        hasher.combine(children)
    }
}
