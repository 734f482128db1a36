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
    ///   - irreversible: why the migration has no undo: no Flyway `U` file then, and the down
    ///     file other layouts need says so instead of holding the template.
    package static func files(
        layout: MigrationLayout, description: String, repeatable: Bool, highestVersion: MigrationVersion?,
        existingNames: [String], timestamp: String, up: String? = nil, down: String? = nil, irreversible: String? = nil
    ) throws(ConfigurationError) -> [File] {
        let words = description.split(whereSeparator: \.isWhitespace).joined(separator: "_")
        guard !words.isEmpty, !words.contains("/"), !words.contains("__") else {
            throw ConfigurationError("The description '\(description)' cannot be used in a file name: give words without '/' or '__'.")
        }
        let upText = up ?? "-- \(description)\n"
        let downText = down ?? irreversible.map { "-- Cannot be undone by a script: \($0).\n" } ?? "-- Reverts: \(description)\n"
        if repeatable && layout != .flyway {
            throw ConfigurationError("\(layout.rawValue) has no repeatable migrations; --repeatable needs a Flyway-style folder (R__<description>.sql).")
        }
        let version = VersionStyle.of(layout, existingNames: existingNames, timestamp: timestamp).next(after: highestVersion, timestamp: timestamp)
        switch layout {
        case .flyway:
            if repeatable { return [File(name: "R__\(words).sql", contents: upText)] }
            let undo = down.map { [File(name: "U\(version)__\(words).sql", contents: $0)] } ?? []
            return [File(name: "V\(version)__\(words).sql", contents: upText)] + undo
        case .golangMigrate:
            return [File(name: "\(version)_\(words).up.sql", contents: upText),
                    File(name: "\(version)_\(words).down.sql", contents: downText)]
        case .dbmate:
            return [File(name: "\(version)_\(words).sql", contents: "-- migrate:up\n\(upText)\n-- migrate:down\n\(downText)")]
        }
    }
}
