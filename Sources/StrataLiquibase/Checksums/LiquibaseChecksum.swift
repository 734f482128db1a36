import Foundation
import StrataDigests

/// Liquibase's changeset checksums (V8 and V9), so that a database Liquibase managed validates
/// under Strata and the reverse. The rules, from Liquibase 4.33's `CheckSum`, `ChangeSet` and
/// `StringChangeLogSerializer`:
/// - a changeset's checksum is the MD5 of `"<v>:<change md5>:"` over its changes, then
///   `"<visitor md5>;"` per modifySql edit; V9 leaves out dbms-targeted changes for another
///   database, V8 keeps them;
/// - `sql` and `sqlFile` hash their SQL: V9 without any space, tab, CR or LF; V8 prefixed with
///   `endDelimiter:splitStatements:stripComments:` and with whitespace runs collapsed;
/// - `createView` and `createProcedure` (V9) hash their fields without the SQL and the file
///   that holds it, then join that with the SQL's V9 hash (a file's after `${…}` expansion);
/// - `loadData` and `loadUpdateData` hash only the table name and the CSV file (without
///   CR, blank lines and comment lines, whatever the columns say);
/// - every other change hashes its fields as written, serialized as Liquibase does (sorted
///   lines, nested objects unnamed, lists as `name=[…]`), less the fields Liquibase leaves out;
/// - a modifySql edit hashes its own fields and `applyToRollback`, not its dbms, context or labels.
/// Each was checked against Liquibase 4.29 (ChangeTypeChecksumTests).
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
            text += "\(version.rawValue):" + hash(serialize(visitor(edit))) + ";"
        }
        return "\(version.rawValue):" + MD5.hex(text)
    }

    /// One change's checksum with its `<v>:` prefix.
    static func change(_ change: Change, version: ChecksumVersion) -> String {
        "\(version.rawValue):" + {
            switch change.kind {
            case .sql: return sql(change.string("sql") ?? "", change, version: version)
            case .sqlFile: return sql(change.fileContents ?? "", change, version: version)
            case .createView, .createProcedure: return definition(change, version: version)
            case .loadData, .loadUpdateData: return csv(change, version: version)
            default: return hash(serialize(change.node, excluding: excludedFields[change.kind] ?? []))
            }
        }()
    }

    /// Fields Liquibase's serializer leaves out of a change's checksum (`getExcludedFieldFilters`,
    /// and `whereParams`, which is no change property).
    static let excludedFields: [ChangeKind: Set<String>] = [
        .createTable: ["ifNotExists"],
        .createIndex: ["associatedWith"],
        .update: ["whereParams"],
        .delete: ["whereParams"],
    ]

    /// createView and createProcedure: V9 hashes the fields other than the SQL, its file and
    /// (createProcedure) `dbms` and `comments`, joined with the V9 hash of the SQL (a file's with
    /// `${…}` expanded). V8 hashes all fields, joined with a file's V8 hash when there is one.
    static func definition(_ change: Change, version: ChecksumVersion) -> String {
        let text = change.kind == .createView ? "selectQuery" : "procedureText"
        let fromFile = change.string("path") != nil
        switch version {
        case .v9:
            var excluded: Set<String> = ["path", "relativeToChangelogFile", "encoding", text]
            if change.kind == .createProcedure { excluded.formUnion(["dbms", "comments", "procedureBody"]) }
            let fields = hash(serialize(change.node, excluding: excluded))
            let body = (fromFile ? change.expandedFileContents : change.string(text)) ?? ""
            return hash("9:\(fields):9:" + sql(body, change, version: .v9))
        case .v8:
            let fields = hash(serialize(change.node))
            guard fromFile else { return fields }
            return hash("8:\(fields):8:" + hash(";:false:false:" + collapsed(change.fileContents ?? "")))
        }
    }

    /// loadData and loadUpdateData: `tableName:<v>:<md5 of the CSV>`, the CSV without CR, empty
    /// lines and lines starting with the comment mark (`commentLineStartsWith`'s first character,
    /// `#` by default), as Liquibase's `EmptyLineAndCommentSkippingInputStream` reads it.
    static func csv(_ change: Change, version: ChecksumVersion) -> String {
        let mark = (change.string("commentLineStartsWith") ?? "#").utf8.first
        var lines: [ArraySlice<UInt8>] = []
        for line in Array((change.fileContents ?? "").utf8).filter({ $0 != 0x0D }).split(separator: 0x0A) {
            if let mark, line.first == mark { continue }
            lines.append(line)
        }
        let bytes = Array(lines.joined(separator: [0x0A]))
        return hash((change.string("tableName") ?? "") + ":\(version.rawValue):" + MD5.hex(bytes))
    }

    /// A modifySql edit as Liquibase's visitor serializes itself: its own fields and
    /// `applyToRollback` (always written), without the dbms, context and labels of its block.
    static func visitor(_ edit: ModifySQL) -> ChangelogNode {
        var node = edit.node
        let block: Set<String> = ["dbms", "context", "contextFilter", "contexts", "labels", "applyToRollback"]
        node.children.removeAll { $0.isLeaf && block.contains($0.name) }
        node.children.append(ChangelogNode(name: "applyToRollback", value: edit.applyToRollback ? "true" : "false", location: node.location))
        return node
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
            return hash(header + collapsed(body))
        }
    }

    /// V8's normalization: trimmed, each run of spaces, tabs, CRs and LFs made one space.
    static func collapsed(_ body: String) -> String {
        let whitespace: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
        return body.split(whereSeparator: whitespace.contains).joined(separator: " ")
    }

    /// Liquibase's `CheckSum.compute(String)`: line endings made `\n`, U+FFFD removed, NFC, MD5.
    static func hash(_ text: String) -> String {
        let standardized = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n").replacing("\u{FFFD}", with: "")
        return MD5.hex(standardized.precomposedStringWithCanonicalMapping)
    }

    /// Element names that Liquibase holds in a list field, and that field's name.
    static let listFields = ["column": "columns", "param": "params", "arg": "args"]

    /// `name:[…]`, the text `StringChangeLogSerializer` writes for a change or an edit, without
    /// the top-level fields in `excluded`.
    static func serialize(_ node: ChangelogNode, excluding excluded: Set<String> = []) -> String {
        var node = node
        node.children.removeAll { excluded.contains($0.name) }
        return node.name + ":" + object(node, depth: 1)
    }

    private static func object(_ node: ChangelogNode, depth: Int) -> String {
        let indent = String(repeating: " ", count: depth * 4)
        var lines = Set<String>()
        var lists: [String: [ChangelogNode]] = [:]
        for child in node.children {
            if child.isLeaf {
                guard let value = child.value else { continue }
                lines.insert(indent + child.name + "=\"" + normalized(value) + "\"")
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
