/// Instructions a migration file gives in its header comments, such as
/// `-- strata:transaction=false`.
package struct ScriptDirectives: Sendable, Hashable {
    /// `transaction=false`: run outside a transaction even though statements would allow one.
    package var transaction: Bool?
    /// `placeholders=false`: leave `${…}` in the file as it is.
    var placeholders: Bool?
    /// `phase=expand` or `phase=contract`: when the migration may run (see ``MigrationPhase``).
    package var phase: MigrationPhase?

    package init(transaction: Bool? = nil, placeholders: Bool? = nil, phase: MigrationPhase? = nil) {
        self.transaction = transaction
        self.placeholders = placeholders
        self.phase = phase
    }

    /// These directives, with `other`'s where these say nothing.
    package func merged(with other: ScriptDirectives) -> ScriptDirectives {
        ScriptDirectives(transaction: transaction ?? other.transaction, placeholders: placeholders ?? other.placeholders,
                         phase: phase ?? other.phase)
    }

    /// These directives with the phase a script's header declares, if it declares one (and
    /// parses): what a migration keeps of its header, so that the planner needs no text.
    package func declaringPhase(of sql: String) -> ScriptDirectives {
        var directives = self
        if let phase = (try? Self.parse(sql))?.phase { directives.phase = phase }
        return directives
    }

    /// Reads `-- strata:key=value` lines from the comments before the first statement.
    /// `-- strata:lint-ignore` lines are `strata lint`'s, and may stand there too.
    package static func parse(_ sql: String) throws(ScriptDirectiveError) -> ScriptDirectives {
        var directives = ScriptDirectives()
        for (index, rawLine) in SQLText.lines(of: sql[...]).enumerated() {
            let line = SQLText.trimmed(rawLine)
            if line.isEmpty { continue }
            guard line.hasPrefix("--") else { break }
            let comment = SQLText.trimmed(line.dropFirst(2))
            guard comment.hasPrefix("strata:") else { continue }
            let setting = comment.dropFirst("strata:".count)
            // `backfill` marks the statement on the next line, which may be the file's first.
            if lintIgnoredRules(setting) != nil || SQLText.trimmed(setting).lowercased() == "backfill" { continue }
            let parts = setting.split(separator: "=", maxSplits: 1).map { SQLText.trimmed($0).lowercased() }
            switch (parts.first, parts.count == 2 ? parts[1] : nil) {
            case ("transaction", "false"?): directives.transaction = false
            case ("transaction", "true"?): directives.transaction = true
            case ("placeholders", "false"?): directives.placeholders = false
            case ("placeholders", "true"?): directives.placeholders = true
            case ("phase", let value?) where MigrationPhase(rawValue: value) != nil: directives.phase = MigrationPhase(rawValue: value)
            default:
                throw ScriptDirectiveError(line: index + 1, directive: String(comment))
            }
        }
        return directives
    }

    /// For `lint-ignore rule-a, rule-b` (a directive without its `strata:`): the rules it names.
    package static func lintIgnoredRules(_ setting: Substring) -> [String]? {
        guard setting.hasPrefix("lint-ignore"), setting.dropFirst("lint-ignore".count).first.map({ $0 == " " || $0 == "\t" }) ?? true else { return nil }
        return setting.dropFirst("lint-ignore".count).split { $0 == "," || $0 == " " || $0 == "\t" }.map(String.init)
    }
}

package struct ScriptDirectiveError: Error, Sendable, Equatable {
    package let line: Int
    package let directive: String
}
