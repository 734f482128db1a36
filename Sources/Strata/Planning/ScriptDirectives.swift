/// Instructions a migration file gives in its header comments, such as
/// `-- strata:transaction=false`.
struct ScriptDirectives: Sendable, Hashable {
    /// `transaction=false`: run outside a transaction even though statements would allow one.
    var transaction: Bool?
    /// `placeholders=false`: leave `${…}` in the file as it is.
    var placeholders: Bool?

    init(transaction: Bool? = nil, placeholders: Bool? = nil) {
        self.transaction = transaction
        self.placeholders = placeholders
    }

    /// These directives, with `other`'s where these say nothing.
    func merged(with other: ScriptDirectives) -> ScriptDirectives {
        ScriptDirectives(transaction: transaction ?? other.transaction, placeholders: placeholders ?? other.placeholders)
    }

    /// Reads `-- strata:key=value` lines from the comments before the first statement.
    static func parse(_ sql: String) throws(ScriptDirectiveError) -> ScriptDirectives {
        var directives = ScriptDirectives()
        for (index, rawLine) in SQLText.lines(of: sql[...]).enumerated() {
            let line = SQLText.trimmed(rawLine)
            if line.isEmpty { continue }
            guard line.hasPrefix("--") else { break }
            let comment = SQLText.trimmed(line.dropFirst(2))
            guard comment.hasPrefix("strata:") else { continue }
            let setting = comment.dropFirst("strata:".count)
            let parts = setting.split(separator: "=", maxSplits: 1).map { SQLText.trimmed($0).lowercased() }
            switch (parts.first, parts.count == 2 ? parts[1] : nil) {
            case ("transaction", "false"?): directives.transaction = false
            case ("transaction", "true"?): directives.transaction = true
            case ("placeholders", "false"?): directives.placeholders = false
            case ("placeholders", "true"?): directives.placeholders = true
            default:
                throw ScriptDirectiveError(line: index + 1, directive: String(comment))
            }
        }
        return directives
    }
}

struct ScriptDirectiveError: Error, Sendable, Equatable {
    let line: Int
    let directive: String
}
