/// The files `strata new` and `strata init` write, named the way the folder's layout names
/// them, so that a new file never changes how the folder is read.
package enum NewMigrationFiles {
    package struct File: Sendable, Equatable {
        package let name: String
        package let contents: String

        package init(name: String, contents: String) {
            self.name = name
            self.contents = contents
        }
    }

    /// - Parameters:
    ///   - highestVersion: the highest version the locations hold (nil for none).
    ///   - existingNames: the names of the files already in the folder, whose version style
    ///     (sequence numbers and their width, or timestamps) the new file follows.
    ///   - timestamp: now, as `yyyyMMddHHmmss` (UTC), for layouts that version by time.
    ///   - up, down: the SQL of the new migration and of its undo.
    package static func files(
        layout: MigrationLayout, description: String, repeatable: Bool, highestVersion: MigrationVersion?,
        existingNames: [String], timestamp: String, up: String? = nil, down: String? = nil
    ) throws(ConfigurationError) -> [File] {
        let words = description.split(whereSeparator: \.isWhitespace).joined(separator: "_")
        guard !words.isEmpty, !words.contains("/"), !words.contains("__") else {
            throw ConfigurationError("The description '\(description)' cannot be used in a file name: give words without '/' or '__'.")
        }
        let upText = up ?? "-- \(description)\n"
        let downText = down ?? "-- Reverts: \(description)\n"
        if repeatable && layout != .flyway {
            throw ConfigurationError("\(layout.rawValue) has no repeatable migrations; --repeatable needs a Flyway-style folder (R__<description>.sql).")
        }
        switch layout {
        case .flyway:
            if repeatable { return [File(name: "R__\(words).sql", contents: upText)] }
            let version = highestVersion?.nextMajor ?? "1"
            let undo = down.map { [File(name: "U\(version)__\(words).sql", contents: $0)] } ?? []
            return [File(name: "V\(version)__\(words).sql", contents: upText)] + undo
        case .golangMigrate:
            let version = sequenceOrTimestamp(existingNames.compactMap(golangVersionDigits), highestVersion, timestamp)
            return [File(name: "\(version)_\(words).up.sql", contents: upText),
                    File(name: "\(version)_\(words).down.sql", contents: downText)]
        case .dbmate:
            let version = later(timestamp, than: highestVersion)
            return [File(name: "\(version)_\(words).sql", contents: "-- migrate:up\n\(upText)\n-- migrate:down\n\(downText)")]
        }
    }

    /// golang-migrate folders number their files either in sequence (`000001`, zero-padded to
    /// a fixed width) or by time; the new file continues whichever the folder uses. An empty
    /// folder starts a six-digit sequence, as `migrate create -seq` does.
    private static func sequenceOrTimestamp(_ versions: [String], _ highest: MigrationVersion?, _ timestamp: String) -> String {
        guard let widest = versions.map(\.count).max() else { return "000001" }
        if widest >= timestamp.count { return later(timestamp, than: highest) }
        let next = highest?.nextMajor ?? "1"
        return String(repeating: "0", count: max(widest - next.count, 0)) + next
    }

    /// `timestamp`, or one above the highest version when a clock behind the files' would
    /// put the new file before them.
    private static func later(_ timestamp: String, than highest: MigrationVersion?) -> String {
        guard let highest, let stamp = MigrationVersion(timestamp), stamp <= highest else { return timestamp }
        return highest.nextMajor
    }

    private static func golangVersionDigits(_ name: String) -> String? {
        guard GolangMigrateFileName.parse(name) != nil else { return nil }
        return String(name.prefix { $0.isASCII && $0.isNumber })
    }
}
