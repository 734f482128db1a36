/// The names of `strata test`'s files in the locations, named like Flyway's migrations so they
/// sit next to them: `T9__books_have_a_language.sql` holds assertions checked right after
/// version 9 is applied; `S__customers.sql` seeds data before the migrations, and
/// `S7__orders.sql` after version 7 has been applied, undone and applied again. Migrations ignore
/// these files.
package struct TestFileName: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case dataCheck
        case seed
    }

    package let kind: Kind
    /// Required for a data check; optional for a seed.
    package let version: MigrationVersion?
    package let description: String

    /// What a file name is to `strata test`.
    package enum Classification: Sendable, Equatable {
        case testFile(TestFileName)
        /// It starts like a test file but cannot be one; the reason says what is wrong.
        case malformed(reason: String)
        case unrelated
    }

    package static func classify(_ fileName: String) -> Classification {
        guard fileName.hasSuffix(".sql"), let prefix = fileName.first, prefix == "T" || prefix == "S" else { return .unrelated }
        let stem = fileName.dropFirst().dropLast(4)
        guard let separator = stem.indices.first(where: { stem[$0...].hasPrefix("__") }) else {
            let next = stem.first
            let looksLikeOne = next == "_" || next?.isNumber == true
            return looksLikeOne
                ? .malformed(reason: "it has no `__` between the version and the description (expected e.g. `\(prefix)2__books_have_a_language.sql`)")
                : .unrelated
        }
        let versionText = String(stem[..<separator])
        let description = String(stem[stem.index(separator, offsetBy: 2)...].map { $0 == "_" ? " " : $0 })
        guard !description.isEmpty else {
            return .malformed(reason: "it needs a description after `__`")
        }
        let kind: Kind = prefix == "T" ? .dataCheck : .seed
        if versionText.isEmpty {
            guard kind == .seed else {
                return .malformed(reason: "a data check names the version it checks, right after `T` (e.g. `T9__\(stem[stem.index(separator, offsetBy: 2)...]).sql`)")
            }
            return .testFile(TestFileName(kind: kind, version: nil, description: description))
        }
        guard let version = MigrationVersion(versionText) else {
            return .malformed(reason: "`\(versionText)` is not a version: use numbers separated by `.` or `_`, such as `2` or `1.4.2`")
        }
        return .testFile(TestFileName(kind: kind, version: version, description: description))
    }
}
