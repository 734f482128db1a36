/// How a folder writes its versions, so that a new or renumbered file continues the folder's
/// style instead of changing how it reads.
package enum VersionStyle: Sendable, Equatable {
    /// Flyway's `V3__…`: the next whole number.
    case wholeNumbers
    /// golang-migrate's sequence, zero-padded to the folder's width (`000004`).
    case zeroPadded(width: Int)
    /// `yyyyMMddHHmmss`, as dbmate and time-stamped golang-migrate folders name files.
    case timestamp

    /// The style of a folder of `layout` holding `existingNames`. golang-migrate folders number
    /// their files in sequence or by time; an empty one starts a six-digit sequence, as
    /// `migrate create -seq` does.
    package static func of(_ layout: MigrationLayout, existingNames: [String], timestamp: String) -> VersionStyle {
        switch layout {
        case .flyway: return .wholeNumbers
        case .dbmate: return .timestamp
        case .golangMigrate:
            let widths = existingNames.filter { GolangMigrateFileName.parse($0) != nil }.map { $0.prefix { $0.isASCII && $0.isNumber }.count }
            guard let widest = widths.max() else { return .zeroPadded(width: 6) }
            return widest >= timestamp.count ? .timestamp : .zeroPadded(width: widest)
        }
    }

    /// The version after `highest` (nil for none). `timestamp` is now; when a clock behind the
    /// files' would put it below `highest`, one above `highest` instead.
    package func next(after highest: MigrationVersion?, timestamp: String) -> String {
        switch self {
        case .wholeNumbers:
            return highest?.nextMajor ?? "1"
        case .zeroPadded(let width):
            let next = highest?.nextMajor ?? "1"
            return String(repeating: "0", count: max(width - next.count, 0)) + next
        case .timestamp:
            guard let highest, let stamp = MigrationVersion(timestamp), stamp <= highest else { return timestamp }
            return highest.nextMajor
        }
    }
}
