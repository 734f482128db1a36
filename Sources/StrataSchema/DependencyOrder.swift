/// A deterministic topological order: every item after those it depends on, otherwise in the
/// given order. Dependencies outside the list are ignored; a cycle is broken where it closes.
enum DependencyOrder {
    static func sorted<Item>(_ items: [Item], name: (Item) -> QualifiedName, dependencies: (Item) -> [QualifiedName]) -> [Item] {
        let byName = Dictionary(items.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        var visited: Set<QualifiedName> = []
        var result: [Item] = []
        func visit(_ item: Item) {
            guard visited.insert(name(item)).inserted else { return }
            for dependency in dependencies(item).sorted() {
                if let required = byName[dependency] { visit(required) }
            }
            result.append(item)
        }
        items.forEach(visit)
        return result
    }
}
