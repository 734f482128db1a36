/// Finding a migration in the catalog's sorted lists without a map beside them: a map from
/// version to file cost 0.8 MiB at 10,000 migrations.
extension Catalog {
    /// The sorted list that holds the files of a kind.
    func files(of kind: Migration.Kind) -> [Migration] {
        switch kind {
        case .versioned: versioned
        case .baseline: baselines
        case .repeatable: repeatables
        case .undo: undos
        case .callback: callbacks
        }
    }

    /// The position of the first file whose key is `key`, by binary search in `files`, which
    /// must be sorted by that key. `fileKey` takes a position, so that no file is copied.
    static func position<Key: Comparable>(of key: Key, in files: [Migration], by fileKey: (Int) -> Key) -> Int? {
        var low = 0
        var high = files.count
        while low < high {
            let middle = (low + high) / 2
            if fileKey(middle) < key { low = middle + 1 } else { high = middle }
        }
        return low < files.count && fileKey(low) == key ? low : nil
    }

    /// The position of a version's file in `files` (versioned, baseline or undo migrations).
    static func position(of version: MigrationVersion, in files: [Migration]) -> Int? {
        position(of: version, in: files) { files[$0].version! }
    }

    /// The file a history row records, if the catalog has it: by version in the list its type
    /// says, or a repeatable migration by description.
    func file(recordedAs version: MigrationVersion?, type: HistoryType, description: String) -> Migration? {
        guard let version else {
            return Self.position(of: description, in: repeatables) { repeatables[$0].description }.map { repeatables[$0] }
        }
        let files = switch type {
        case .sqlBaseline: baselines
        case .undoSQL, .undoSwift: undos
        default: versioned
        }
        return Self.position(of: version, in: files).map { files[$0] }
    }
}
