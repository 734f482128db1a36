/// What a `CREATE INDEX` statement says that `PRAGMA index_xinfo` does not: the text of
/// expression keys, the collations written for keys, and a partial index's `WHERE`.
struct SQLiteIndexDefinition {
    struct Key {
        /// The key without its `COLLATE` and `ASC`/`DESC`.
        var expression: String
        var collation: String?
    }

    private(set) var keys: [Key] = []
    private(set) var predicate: String?

    init(sql: String) {
        let tokens = DefinitionTokens(sql)
        guard let on = tokens.firstTopLevel(in: 0..<tokens.count, where: { tokens.isKeyword($0, "ON") }),
              let open = tokens.firstTopLevel(in: on..<tokens.count, where: { tokens.isSymbol($0, "(") }) else { return }
        let close = tokens.closing(open)
        keys = tokens.items(in: open + 1..<close).map { item in
            var end = item.upperBound
            if tokens.isKeyword(end - 1, "ASC") || tokens.isKeyword(end - 1, "DESC") { end -= 1 }
            let collate = tokens.firstTopLevel(in: item.lowerBound..<end) { tokens.isKeyword($0, "COLLATE") }
            var expression = item.lowerBound..<(collate ?? end)
            // `((lower(x)))` is the key `lower(x)`: parentheses around the whole key are the
            // writer's, so rendering and reading again gives the same text.
            while tokens.isSymbol(expression.lowerBound, "("), tokens.closing(expression.lowerBound) == expression.upperBound - 1 {
                expression = expression.lowerBound + 1..<expression.upperBound - 1
            }
            return Key(expression: tokens.text(expression), collation: collate.map { tokens.name($0 + 1) })
        }
        if tokens.isKeyword(close + 1, "WHERE") {
            predicate = tokens.text(close + 2..<tokens.count)
        }
    }
}
