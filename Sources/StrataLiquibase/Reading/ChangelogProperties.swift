/// Changelog properties (`${name}`), with Liquibase's rules: the first definition of a name
/// wins (so the caller's values beat the changelog's), names compare case-insensitively, a
/// property scoped to a database or context exists only when the run matches, and a
/// `global="false"` property is seen only by its changelog and the files it includes.
struct ChangelogProperties {
    private(set) var global: [String: String] = [:]
    /// One level per changelog being read, innermost last.
    private var local: [[String: String]] = []

    init(caller: [String: String]) {
        for (name, value) in caller { define(name, value, global: true) }
    }

    mutating func enterChangelog() { local.append([:]) }
    mutating func leaveChangelog() { local.removeLast() }

    /// Defines `name` unless it is already defined where it would be seen.
    mutating func define(_ name: String, _ value: String, global isGlobal: Bool) {
        let key = name.lowercased()
        guard lookup(key) == nil else { return }
        if isGlobal || local.isEmpty {
            global[key] = value
        } else {
            local[local.count - 1][key] = value
        }
    }

    func lookup(_ name: String) -> String? {
        let key = name.lowercased()
        for level in local.reversed() { if let value = level[key] { return value } }
        return global[key]
    }

    /// `text` with every defined `${name}` replaced; undefined ones stay as written, as in Liquibase.
    func expand(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                rest = rest[start.lowerBound...]
                break
            }
            let name = String(rest[start.upperBound..<end])
            result += lookup(name) ?? "${\(name)}"
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The node with `${…}` replaced in every value.
    func expand(_ node: ChangelogNode) -> ChangelogNode {
        var copy = node
        copy.value = node.value.map(expand)
        copy.children = node.children.map(expand)
        return copy
    }
}
