/// A `CREATE VIEW` statement read for its query (the text after `AS`) and the tables and
/// views that query names.
struct SQLiteViewDefinition {
    private(set) var query = ""
    private let tokens: DefinitionTokens
    private var queryStart = 0

    init(sql: String) {
        tokens = DefinitionTokens(sql)
        guard let asKeyword = tokens.firstTopLevel(in: 0..<tokens.count, where: { tokens.isKeyword($0, "AS") }) else { return }
        queryStart = asKeyword + 1
        query = tokens.text(queryStart..<tokens.count)
    }

    /// The names among `known` (lower-cased) that the query reads from: a known name right
    /// after `FROM`, `JOIN`, a comma or a schema's `.`, and not called as a function.
    func dependencies(among known: Set<String>) -> Set<String> {
        var found: Set<String> = []
        for index in queryStart..<tokens.count {
            let name = tokens.name(index).lowercased()
            guard known.contains(name), !tokens.isSymbol(index + 1, "("), tokens.tokens[index].kind != .string else { continue }
            let previous = index - 1
            if tokens.isKeyword(previous, "FROM") || tokens.isKeyword(previous, "JOIN") || tokens.isSymbol(previous, ",")
                || (tokens.isSymbol(previous, ".") && tokens.isKeyword(previous - 1, "MAIN")) {
                found.insert(name)
            }
        }
        return found
    }
}
