import Strata

/// The `-- strata:lint-ignore rule-id` comments of a file, each belonging to the statement
/// that follows it, and which of them suppressed something.
struct LintIgnores {
    struct Ignore {
        let line: Int
        let rules: [String]
        /// The line of the statement it belongs to; nil when no statement follows.
        var statementLine: Int?
        var used: Set<String> = []
    }

    private(set) var ignores: [Ignore]

    init(sql: String, statementLines: [Int]) {
        ignores = []
        let marker = Array("strata:".utf8)
        for (index, bytes) in Array(sql.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            // Most lines hold no directive: look for one in the bytes before reading characters.
            guard bytes.indices.contains(where: { bytes[$0] == marker[0] && bytes[$0...].starts(with: marker) }) else { continue }
            let text = SQLText.trimmed(String(decoding: bytes, as: UTF8.self))
            guard text.hasPrefix("--") else { continue }
            let comment = SQLText.trimmed(text.dropFirst(2))
            guard comment.hasPrefix("strata:"), let rules = ScriptDirectives.lintIgnoredRules(comment.dropFirst("strata:".count)[...]) else { continue }
            let line = index + 1
            ignores.append(Ignore(line: line, rules: rules, statementLine: statementLines.first { $0 > line }))
        }
    }

    /// True (and the ignore marked used) when a comment before the statement at `line` names `rule`.
    mutating func suppresses(_ rule: String, at line: Int) -> Bool {
        guard let index = ignores.firstIndex(where: { $0.statementLine == line && $0.rules.contains(rule) }) else { return false }
        ignores[index].used.insert(rule)
        return true
    }

    /// Each rule named by a comment that suppressed nothing, with the comment's line.
    func unused(disabled: Set<String>) -> [(line: Int, rule: String)] {
        ignores.flatMap { ignore in
            ignore.rules.filter { !ignore.used.contains($0) && !disabled.contains($0) }.map { (ignore.line, $0) }
        }
    }
}
