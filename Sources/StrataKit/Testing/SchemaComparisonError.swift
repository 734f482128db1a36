import Strata
import StrataSchema

/// Two schemas could not be compared (a change the engine's SQL cannot express), so a test
/// cannot say whether they are equal.
public struct SchemaComparisonError: StrataError {
    /// What was being compared, such as the file whose step it checks.
    public let subject: String
    public let reason: SchemaChangeError

    public var category: ErrorCategory { .failure }
    public var description: String {
        "cannot compare the schemas for \(subject): \(reason). `strata schema dump --json` on a database migrated to that point shows the schema as read."
    }
}
