/// How a migration's statements are run.
public enum TransactionMode: Sendable, Equatable {
    /// In one transaction together with its history row: all or nothing.
    case transactional
    /// Statement by statement outside any transaction, because some statement cannot run in
    /// one; its history row records the attempt first and the success last.
    case nonTransactional
}

/// Instructions a migration file gives in its header comments, such as
/// `-- strata:transaction=false`.
public struct ScriptDirectives: Sendable, Equatable {
    /// `transaction=false`: run outside a transaction even though statements would allow one.
    public var transaction: Bool?

    /// Reads `-- strata:key=value` lines from the comments before the first statement.
    public static func parse(_ sql: String) throws(ScriptDirectiveError) -> ScriptDirectives {
        var directives = ScriptDirectives()
        for (index, rawLine) in sql.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
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
            default:
                throw ScriptDirectiveError(line: index + 1, directive: String(comment))
            }
        }
        return directives
    }
}

public struct ScriptDirectiveError: Error, Sendable, Equatable {
    public let line: Int
    public let directive: String
}

/// Decides how a migration runs from what its statements allow and what its header asks.
public enum TransactionPolicy {
    /// - Parameters:
    ///   - statementCount: how many statements the script holds.
    ///   - refusingLines: the lines of the statements the engine refuses inside a transaction.
    public static func mode(
        for migration: Migration, statementCount: Int, refusingLines: [Int], directives: ScriptDirectives
    ) throws(TransactionPolicyError) -> TransactionMode {
        if directives.transaction == false { return .nonTransactional }
        if refusingLines.isEmpty { return .transactional }
        if refusingLines.count == statementCount && directives.transaction != true { return .nonTransactional }
        throw TransactionPolicyError(migration: migration, refusingLines: refusingLines, forced: directives.transaction == true)
    }
}

/// A migration mixes statements that cannot run in a transaction with ones that can.
public struct TransactionPolicyError: StrataError, Equatable {
    public let migration: Migration
    public let refusingLines: [Int]
    /// The file asked for a transaction explicitly.
    public let forced: Bool

    public var category: ErrorCategory { .failure }

    public var description: String {
        let lines = refusingLines.map(String.init).joined(separator: ", ")
        if forced {
            return "\(migration.path) asks for a transaction (`-- strata:transaction=true`), but the statements at line \(lines) cannot run inside one. Remove the directive or move those statements to their own migration."
        }
        return "\(migration.path) mixes statements that cannot run inside a transaction (line \(lines)) with ones that can. "
            + "Move them to a migration of their own, or add `-- strata:transaction=false` to the file's header to run every statement on its own, without a transaction (a failure then leaves the earlier statements applied)."
    }
}
