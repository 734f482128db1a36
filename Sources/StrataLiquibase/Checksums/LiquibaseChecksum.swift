import Foundation

/// Liquibase's changeset checksums (V8 and V9), so that a database Liquibase managed validates
/// under Strata and the reverse. The rules, from Liquibase 4.33's `CheckSum`, `ChangeSet` and
/// `StringChangeLogSerializer`:
/// - a changeset's checksum is the MD5 of `"<v>:<change md5>:"` over its changes, then
///   `"<visitor md5>;"` per modifySql edit; V9 leaves out dbms-targeted changes for another
///   database, V8 keeps them;
/// - `sql` and `sqlFile` hash their SQL: V9 without any space, tab, CR or LF; V8 prefixed with
///   `endDelimiter:splitStatements:stripComments:` and with whitespace runs collapsed;
/// - every other change hashes its fields as written, serialized as Liquibase does (sorted
///   lines, nested objects unnamed, lists as `name=[…]`).
enum LiquibaseChecksum {
    /// Changes whose `dbms` V9 honours (Liquibase's `DbmsTargetedChange`s).
    static let dbmsTargeted: Set<ChangeKind> = [.sql, .sqlFile, .createProcedure, .insert]

    static func changeSet(_ changeSet: ChangeSet, version: ChecksumVersion, database: String) -> String {
        var text = ""
        for change in changeSet.changes {
            if version == .v9, dbmsTargeted.contains(change.kind),
               !DatabaseList.matches(DatabaseList.split(change.string("dbms")), database: database) { continue }
            text += self.change(change, version: version) + ":"
        }
        for edit in changeSet.modifySQL {
            text += hash(serialize(edit.node)) + ";"
        }
        return "\(version.rawValue):" + MD5.hex(text)
    }

    /// One change's checksum with its `<v>:` prefix.
    static func change(_ change: Change, version: ChecksumVersion) -> String {
        "\(version.rawValue):" + {
            switch change.kind {
            case .sql: return sql(change.string("sql") ?? "", change, version: version)
            case .sqlFile: return sql(change.fileContents ?? "", change, version: version)
            default: return hash(serialize(change.node))
            }
        }()
    }

    /// The SQL hash of Liquibase's `AbstractSQLChange`.
    static func sql(_ body: String, _ change: Change, version: ChecksumVersion) -> String {
        switch version {
        case .v9:
            return MD5.hex(body.utf8.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) })
        case .v8:
            let header = [
                change.string("endDelimiter") ?? "null",
                change.string("splitStatements")?.lowercased() ?? "true",
                change.string("stripComments")?.lowercased() ?? "false",
            ].joined(separator: ":") + ":"
            let whitespace: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
            let collapsed = body.split(whereSeparator: whitespace.contains).joined(separator: " ")
            return hash(header + collapsed)
        }
    }

    /// Liquibase's `CheckSum.compute(String)`: line endings made `\n`, U+FFFD removed, NFC, MD5.
    static func hash(_ text: String) -> String {
        let standardized = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n").replacing("\u{FFFD}", with: "")
        return MD5.hex(standardized.precomposedStringWithCanonicalMapping)
    }

    /// Element names that Liquibase holds in a list field, and that field's name.
    static let listFields = ["column": "columns", "param": "params", "arg": "args"]

    /// `name:[…]`, the text `StringChangeLogSerializer` writes for a change or an edit.
    static func serialize(_ node: ChangelogNode) -> String {
        node.name + ":" + object(node, depth: 1)
    }

    private static func object(_ node: ChangelogNode, depth: Int) -> String {
        let indent = String(repeating: " ", count: depth * 4)
        var lines = Set<String>()
        var lists: [String: [ChangelogNode]] = [:]
        for child in node.children {
            if child.isLeaf {
                guard let value = child.value else { continue }
                lines.insert(indent + child.name + "=\"" + normalized(value) + "\"")
            } else if child.name == "whereParams" {
                lists["whereParams", default: []] += child.children
            } else if let field = listFields[child.name] {
                lists[field, default: []].append(child)
            } else {
                lines.insert(indent + object(child, depth: depth + 1))
            }
        }
        for (field, items) in lists {
            let inner = String(repeating: " ", count: (depth + 1) * 4)
            let rendered = items.map { inner + object($0, depth: depth + 2) }.joined(separator: ",\n")
            lines.insert(indent + field + "=[\n" + rendered + "\n" + indent + "]")
        }
        guard !lines.isEmpty else { return "[]" }
        return "[\n" + lines.sorted().joined(separator: "\n") + "\n" + String(repeating: " ", count: (depth - 1) * 4) + "]"
    }

    /// Booleans as Java prints them.
    private static func normalized(_ value: String) -> String {
        switch value.lowercased() {
        case "true": "true"
        case "false": "false"
        default: value
        }
    }
}

extension ChangeSet {
    /// Liquibase's checksum of this changeset (`9:…` or `8:…`) for `database` (its short
    /// name, as in ``SQLFlavor/liquibaseName``): V9 is what Strata writes, V8 what it accepts
    /// from a database Liquibase 3.5–4.21 managed.
    public func checksum(_ version: ChecksumVersion, database: String) -> String {
        LiquibaseChecksum.changeSet(self, version: version, database: database)
    }

    /// Whether `stored` (a DATABASECHANGELOG MD5SUM) matches this changeset: its V9 or V8
    /// checksum (whichever version `stored` is), or a `validCheckSum` (`ANY`, with or
    /// without its version prefix).
    public func accepts(storedChecksum stored: String, database: String) -> Bool {
        if validCheckSums.contains(where: { $0.uppercased() == "ANY" }) { return true }
        let version = stored.hasPrefix("8:") ? ChecksumVersion.v8 : .v9
        if checksum(version, database: database) == stored { return true }
        return validCheckSums.contains { valid in
            valid == stored || (!valid.contains(":") && stored.split(separator: ":").last.map(String.init) == valid)
        }
    }
}
