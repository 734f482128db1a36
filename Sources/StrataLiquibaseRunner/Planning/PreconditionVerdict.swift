import StrataLiquibase

/// How a `<preConditions>` block came out.
public enum PreconditionOutcome: Sendable, Equatable {
    case passed
    /// A condition did not hold; the text says which.
    case failed(String)
    /// A condition could not be checked (its query failed, a Java class); the text says why.
    case errored(String)
}

/// What the run does after a changeset's preconditions, by their `onFail` / `onError`.
public enum PreconditionVerdict: Sendable, Equatable {
    case run
    /// `WARN`: run it all the same, and say why.
    case runWithWarning(String)
    /// `CONTINUE`: leave it for a later run; nothing is recorded.
    case skip(String)
    /// `MARK_RAN`: record it as run without running it.
    case markRan(String)
    /// `HALT`: stop the run.
    case halt(String)

    /// The verdict Liquibase reaches for an outcome under a block's settings.
    public static func of(_ outcome: PreconditionOutcome, under block: Preconditions) -> PreconditionVerdict {
        let (action, message): (PreconditionFailureAction, String)
        switch outcome {
        case .passed: return .run
        case .failed(let reason): (action, message) = (block.onFail, block.onFailMessage ?? reason)
        case .errored(let reason): (action, message) = (block.onError, block.onErrorMessage ?? reason)
        }
        switch action {
        case .halt: return .halt(message)
        case .continue: return .skip(message)
        case .markRan: return .markRan(message)
        case .warn: return .runWithWarning(message)
        }
    }
}

/// What a precondition asks of the database; the runner answers through the driver, tests with a dictionary.
public protocol PreconditionProbe {
    /// Whether a leaf condition (not `and`, `or`, `not`) holds. Throws when it cannot be checked.
    func holds(_ condition: Precondition) throws -> Bool
}

/// Evaluates `and`, `or` and `not` over a probe's answers: all top-level conditions must hold.
public enum PreconditionEvaluator {
    public static func evaluate(_ block: Preconditions, probe: some PreconditionProbe) -> PreconditionOutcome {
        do {
            for condition in block.conditions where try !holds(condition, probe) {
                return .failed("\(describe(condition)) does not hold")
            }
            return .passed
        } catch {
            return .errored("\(error)")
        }
    }

    package static func holds(_ condition: Precondition, _ probe: some PreconditionProbe) throws -> Bool {
        switch condition {
        case .and(let all): try all.allSatisfy { try holds($0, probe) }
        case .or(let any): try any.contains { try holds($0, probe) }
        case .not(let none): try !none.contains { try holds($0, probe) }
        default: try probe.holds(condition)
        }
    }

    /// A condition as people read it in a message.
    static func describe(_ condition: Precondition) -> String {
        switch condition {
        case .and(let all): "and(" + all.map(describe).joined(separator: ", ") + ")"
        case .or(let any): "or(" + any.map(describe).joined(separator: ", ") + ")"
        case .not(let none): "not(" + none.map(describe).joined(separator: ", ") + ")"
        case .tableExists(_, let table): "tableExists \(table)"
        case .columnExists(_, let table, let column): "columnExists \(table).\(column)"
        case .viewExists(_, let view): "viewExists \(view)"
        case .sequenceExists(_, let sequence): "sequenceExists \(sequence)"
        case .indexExists(_, let table, let index, let columns):
            "indexExists " + (index ?? "") + (table.map { " on \($0)" } ?? "") + (columns.isEmpty ? "" : " (\(columns.joined(separator: ", ")))")
        case .primaryKeyExists(_, let table, let name): "primaryKeyExists " + (name ?? "") + (table.map { " on \($0)" } ?? "")
        case .foreignKeyConstraintExists(_, let table, let name): "foreignKeyConstraintExists \(name)" + (table.map { " on \($0)" } ?? "")
        case .uniqueConstraintExists(_, let table, let name, _): "uniqueConstraintExists " + (name ?? "") + " on \(table)"
        case .rowCount(_, let table, let expected): "rowCount \(table) = \(expected)"
        case .tableIsEmpty(_, let table): "tableIsEmpty \(table)"
        case .sqlCheck(let expected, let sql): "sqlCheck (\(sql.trimmingWhitespace)) = \(expected)"
        case .changeSetExecuted(let id, let author, let path): "changeSetExecuted \(path)::\(id)::\(author)"
        case .changeLogPropertyDefined(let property, let value): "changeLogPropertyDefined \(property)" + (value.map { " = \($0)" } ?? "")
        case .dbms(let types): "dbms \(types.joined(separator: ", "))"
        case .runningAs(let username): "runningAs \(username)"
        case .expectedQuotingStrategy(let strategy): "expectedQuotingStrategy \(strategy)"
        case .custom(let className, _): "customPrecondition \(className)"
        }
    }
}
