import Strata
import StrataSchema

/// What `strata test` found: one case per migration and per check, in the order they ran,
/// as plain values that a command renders and a test inspects.
public struct MigrationTestReport: Sendable, Equatable, Codable {
    /// The cases, in the order they ran.
    public var cases: [MigrationTestCase]
    /// Versions without a down script, when `requireUndo` is off.
    public var warnings: [String]

    public init(cases: [MigrationTestCase] = [], warnings: [String] = []) {
        self.cases = cases
        self.warnings = warnings
    }

    /// True when no case has a failure (a skipped case holds none: the run stopped at one that does).
    public var passed: Bool { cases.allSatisfy { $0.failures.isEmpty } }
    /// Every case's failures, in case order.
    public var failures: [MigrationTestFailure] { cases.flatMap(\.failures) }
}

/// One migration or check, and what went wrong with it.
public struct MigrationTestCase: Sendable, Equatable, Codable {
    /// What was rehearsed.
    public enum Kind: String, Sendable, Codable {
        /// A versioned migration: apply, undo, apply again.
        case migration
        /// A repeatable migration, run twice.
        case repeatable
        /// A `T<version>__…` file.
        case dataCheck
        /// A `S__…` file or `--seed` file.
        case seed
        /// The step-by-step schema against a one-shot migrate of everything.
        case stairway
    }

    /// What was rehearsed.
    public var kind: Kind
    /// The file (or `stairway`).
    public var name: String
    /// What went wrong; empty when it passed or was skipped.
    public var failures: [MigrationTestFailure] = []
    /// Why it did not run, when an earlier failure stopped the run.
    public var skipped: String?

    public init(kind: Kind, name: String, failures: [MigrationTestFailure] = [], skipped: String? = nil) {
        self.kind = kind
        self.name = name
        self.failures = failures
        self.skipped = skipped
    }
}

/// A failure: the file, the step, what happened and, for schema checks, the difference.
public struct MigrationTestFailure: StrataError, Equatable, Codable {
    /// The step that failed; the raw value is how reports name it.
    public enum Step: String, Sendable, Codable {
        case seed, apply, undo, reapply, missingUndo = "missing undo", dataCheck = "data check", secondRun = "second run", stairway
    }

    /// The migration or check file.
    public var file: String
    /// The step that failed.
    public var step: Step
    /// What happened: the engine's error, or what the step found wrong and how to fix it.
    public var message: String
    /// Where the expected schema and the one found differ; empty when the step itself failed.
    public var differences: [SchemaDifference]

    public init(file: String, step: Step, message: String, differences: [SchemaDifference] = []) {
        self.file = file
        self.step = step
        self.message = message
        self.differences = differences
    }

    /// Thrown only where a seed fails outside the cases, which fails the run (exit 1).
    public var category: ErrorCategory { .failure }

    /// `file: step: message`, then one indented line per difference.
    public var description: String {
        ([ "\(file): \(step.rawValue): \(message)" ] + differences.map { "  \($0)" }).joined(separator: "\n")
    }
}
