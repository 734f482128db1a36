/// "Did you mean …?" for a misspelt setting, table, lint rule or key: the known name a typo
/// most likely meant, so that an unknown name is an error that also says what to write instead.
enum Suggestion {
    /// The known name nearest `name` when it is near enough to be a typo of it: a few letters
    /// apart, ignoring case and `-` for `_`. Nil when nothing is that near.
    static func closest(to name: String, among known: some Sequence<String>) -> String? {
        let typed = normalized(name)
        let limit = max(1, min(3, typed.count / 3))
        let ranked = known.map { (name: $0, distance: distance(typed, normalized($0))) }
            .filter { $0.distance <= limit }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return ranked.first?.name
    }

    /// " (did you mean `known`?)", or nothing when no known name is near; `written` quotes the
    /// name as the file would hold it (a table as `[name]`).
    static func didYouMean(_ name: String, among known: some Sequence<String>,
                           written: (String) -> String = { "`\($0)`" }) -> String {
        closest(to: name, among: known).map { " (did you mean \(written($0))?)" } ?? ""
    }

    private static func normalized(_ name: String) -> [Character] {
        Array(name.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
