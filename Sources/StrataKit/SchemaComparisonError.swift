import Strata
import StrataSchema

/// Two schemas could not be compared, or their difference written as SQL (a change the
/// engine's SQL cannot express): `strata diff`, `drift`, `generate` and `strata test` stop here.
public struct SchemaComparisonError: StrataError {
    /// What was being compared, such as the file whose step it checks.
    public let subject: String
    /// The change the engine's SQL cannot express.
    public let reason: SchemaChangeError

    public init(subject: String, reason: SchemaChangeError) {
        self.subject = subject
        self.reason = reason
    }

    /// ``ErrorCategory/failure``: the command exits with 1.
    public var category: ErrorCategory { .failure }
    /// The message, pointing to `strata schema dump --json` to see the schema as read.
    public var description: String {
        "cannot compare the schemas for \(subject): \(reason). `strata schema dump --json` on a database migrated to that point shows the schema as read."
    }
}
