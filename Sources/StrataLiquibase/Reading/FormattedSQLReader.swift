import Foundation

/// Reads a formatted SQL changelog (`--liquibase formatted sql`) into the node tree the other
/// formats give, following the line patterns of Liquibase's formatted-SQL parser: a changeset
/// per `--changeset author:id attrs`, its body the lines up to the next one, and directives
/// (`--rollback`, `--comment`, `--precondition-*`, `--validCheckSum`, `--property`) read
/// from their own lines. The near-misses Liquibase rejects (`--comments`, `-changeset`) are
/// errors here too, rather than SQL comments that silently change nothing.
enum FormattedSQLReader {
    /// Whether `text` is a formatted SQL changelog (its first line says so).
    static func isFormatted(_ text: String) -> Bool {
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return matches(first, header)
    }

    static func read(_ text: String, file: String) throws(ChangelogError) -> ChangelogNode {
        let lines = text.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var root = ChangelogNode(name: "databaseChangeLog", location: ChangelogLocation(file: file, line: 1))
        if let first = lines.first, let logical = attribute("logicalFilePath", in: first) {
            root.children.append(ChangelogNode(name: "logicalFilePath", value: logical, location: root.location))
        }
        var current: Pending?
        var ignoring = 0
        var ignoringBlock = false
        for (offset, line) in lines.enumerated().dropFirst() {
            let location = ChangelogLocation(file: file, line: offset + 1)
            if ignoringBlock {
                if matches(line, ignoreEnd) { ignoringBlock = false }
                continue
            }
            if ignoring > 0 {
                ignoring -= 1
                continue
            }
            if let groups = capture(line, changeSetLine) {
                if let finished = current { root.children.append(finished.node()) }
                current = try Pending(line: line, author: unquoted(groups[0]), id: unquoted(groups[1]), location: location)
                continue
            }
            if matches(line, ignoreStart) { ignoringBlock = true; continue }
            if let count = capture(line, ignoreCount)?.first.flatMap({ Int($0) }) { ignoring = count; continue }
            if let groups = capture(line, propertyLine) {
                root.children.append(property(groups[0], location: location))
                continue
            }
            if matches(line, includeLine) {
                throw ChangelogError(.malformed("\"\(line.trimmingCharacters(in: .whitespaces))\": include and includeAll in formatted SQL are a Liquibase Pro feature that Liquibase 4.29's open-source edition refuses too; include this file and the ones it names from an XML, YAML or JSON changelog"), at: location)
            }
            for (pattern, what) in nearMisses where matches(line, pattern) {
                throw ChangelogError(.malformed("\"\(line.trimmingCharacters(in: .whitespaces))\" looks like \(what) but is not written as one"), at: location)
            }
            guard current != nil else { continue }
            if let groups = capture(line, rollbackLine) {
                current?.rollback.append(groups[0])
                if current?.rollbackLine == nil { current?.rollbackLine = location }
            } else if let groups = capture(line, commentLine) {
                current?.comment = groups[0]
            } else if let groups = capture(line, validCheckSumLine) {
                current?.validCheckSums.append(ChangelogNode(name: "validCheckSum", value: groups[0].trimmingCharacters(in: .whitespaces), location: location))
            } else if let groups = capture(line, preconditionsLine) {
                current?.preconditions = ChangelogNode(name: "preConditions", children: pairs(groups[0], location: location), location: location)
            } else if let groups = capture(line, preconditionLine) {
                try current?.addPrecondition(kind: groups[0], text: groups[1], location: location)
            } else {
                current?.body.append(line)
            }
        }
        if let finished = current { root.children.append(finished.node()) }
        return root
    }

    /// A changeset being read: its header, directives and body lines.
    private struct Pending {
        var header: ChangelogNode
        var body: [String] = []
        var rollback: [String] = []
        var rollbackLine: ChangelogLocation?
        var comment: String?
        var validCheckSums: [ChangelogNode] = []
        var preconditions: ChangelogNode?

        init(line: String, author: String, id: String, location: ChangelogLocation) throws(ChangelogError) {
            var children = [
                ChangelogNode(name: "id", value: id, location: location),
                ChangelogNode(name: "author", value: author, location: location),
            ]
            let rest = line.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            for pair in FormattedSQLReader.pairs(rest, location: location) where pair.name != "id" {
                children.append(pair)
            }
            header = ChangelogNode(name: "changeSet", children: children, location: location)
        }

        mutating func addPrecondition(kind: String, text: String, location: ChangelogLocation) throws(ChangelogError) {
            let name = kind.split(separator: "-").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
            var node: ChangelogNode
            if name == "sqlCheck" {
                guard let groups = FormattedSQLReader.capture(text, FormattedSQLReader.sqlCheck) else {
                    throw ChangelogError(.missingAttribute("expectedResult", element: "--precondition-sql-check"), at: location)
                }
                node = ChangelogNode(name: name, value: groups[1].trimmingCharacters(in: .whitespaces), children: [
                    ChangelogNode(name: "expectedResult", value: FormattedSQLReader.unquoted(groups[0]), location: location),
                ], location: location)
            } else {
                let renamed = FormattedSQLReader.pairs(text, location: location).map { pair in
                    var pair = pair
                    pair.name = FormattedSQLReader.preconditionAttributes[pair.name] ?? pair.name
                    return pair
                }
                node = ChangelogNode(name: name, children: renamed, location: location)
            }
            if preconditions == nil { preconditions = ChangelogNode(name: "preConditions", location: location) }
            preconditions?.children.append(node)
        }

        /// The changeset: `sql` with the body and its split settings, then rollback and the rest.
        func node() -> ChangelogNode {
            var changeSet = header
            let location = header.location
            let attributes = Dictionary(header.children.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
            let sql = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !sql.isEmpty {
                var change = [ChangelogNode(name: "sql", value: sql, location: location)]
                change.append(ChangelogNode(name: "splitStatements", value: attributes["splitStatements"] ?? "true", location: location))
                change.append(ChangelogNode(name: "stripComments", value: attributes["stripComments"] ?? "false", location: location))
                var delimiter = attributes["endDelimiter"]
                if delimiter == nil, sql.hasSuffix("\n/") { delimiter = "\n/$" }
                if let delimiter { change.append(ChangelogNode(name: "endDelimiter", value: delimiter, location: location)) }
                changeSet.children.append(ChangelogNode(name: "sql", children: change, location: location))
            }
            if let comment { changeSet.children.append(ChangelogNode(name: "comment", value: comment, location: location)) }
            changeSet.children += validCheckSums
            if let preconditions { changeSet.children.append(preconditions) }
            if !rollback.isEmpty, let rollbackLine {
                let text = rollback.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                let lowered = text.lowercased()
                let children: [ChangelogNode]
                if lowered.hasPrefix("not required") || lowered.hasPrefix("empty") {
                    children = [ChangelogNode(name: "empty", location: rollbackLine)]
                } else {
                    var rollbackChange = [ChangelogNode(name: "sql", value: text, location: rollbackLine)]
                    rollbackChange.append(ChangelogNode(name: "splitStatements", value: attributes["rollbackSplitStatements"] ?? "true", location: rollbackLine))
                    if let delimiter = attributes["rollbackEndDelimiter"] {
                        rollbackChange.append(ChangelogNode(name: "endDelimiter", value: delimiter, location: rollbackLine))
                    }
                    children = [ChangelogNode(name: "sql", children: rollbackChange, location: rollbackLine)]
                }
                changeSet.children.append(ChangelogNode(name: "rollback", children: children, location: rollbackLine))
            }
            return changeSet
        }
    }

    /// `--property name:x value:y`: a `<property>` element.
    private static func property(_ text: String, location: ChangelogLocation) -> ChangelogNode {
        ChangelogNode(name: "property", children: pairs(text, location: location), location: location)
    }

    /// `key:value` and `key:"quoted value"` pairs, as Liquibase reads a changeset line.
    static func pairs(_ text: String, location: ChangelogLocation) -> [ChangelogNode] {
        let regex = try! NSRegularExpression(pattern: #"(\w+):\s*("[^"]*"|\S*)"#)
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).map { match in
            let key = String(text[Range(match.range(at: 1), in: text)!])
            let value = String(text[Range(match.range(at: 2), in: text)!])
            return ChangelogNode(name: key, value: unquoted(value), location: location)
        }
    }

    static func unquoted(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }

    private static func attribute(_ name: String, in line: String) -> String? {
        pairs(line, location: ChangelogLocation(file: "", line: 0)).first { $0.name == name }?.value
    }

    /// The short attribute names of `--precondition-*` lines and the element attributes they stand for.
    static let preconditionAttributes = [
        "table": "tableName", "schema": "schemaName", "view": "viewName", "column": "columnName",
        "sequence": "sequenceName", "index": "indexName", "primaryKey": "primaryKeyName", "foreignKey": "foreignKeyName",
    ]

    static let header = pattern(#"^\s*--\s*liquibase\s*formatted.*"#)
    static let changeSetLine = pattern(#"^\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*$"#)
    static let rollbackLine = pattern(#"^\s*--[\s]*rollback\s+(.*)$"#)
    static let commentLine = pattern(#"^\s*--[\s]*comment:?\s+(.*)$"#)
    static let validCheckSumLine = pattern(#"^\s*--[\s]*validCheckSum:?\s*(.*)$"#)
    static let preconditionsLine = pattern(#"^\s*--[\s]*preconditions(.*)$"#)
    static let preconditionLine = pattern(#"^\s*--[\s]*precondition-([a-zA-Z0-9-]+)\s*(.*)$"#)
    static let sqlCheck = pattern(#"^\s*expectedResult:\s*("[^"]*"|\S+)\s+(.*)$"#)
    static let includeLine = pattern(#"^\s*--[\s]*include(all)?\s*(file|path)\s*:.*$"#)
    static let propertyLine = pattern(#"^\s*--[\s]*property\s+(.*)$"#)
    static let ignoreStart = pattern(#"^\s*--[\s]*ignoreLines:start\s*$"#)
    static let ignoreEnd = pattern(#"^\s*--[\s]*ignoreLines:end\s*$"#)
    static let ignoreCount = pattern(#"^\s*--[\s]*ignoreLines:(\d+)\s*$"#)
    static let nearMisses: [(NSRegularExpression, String)] = [
        (pattern(#"^\s*--[\s]*changeset\b.*$"#), "a changeset without author:id"),
        (pattern(#"^\s*-[\s]*changeset\b.*$"#), "a --changeset line"),
        (pattern(#"^\s*--[\s]*comments\b.*$"#), "a --comment line"),
        (pattern(#"^\s*-[\s]*comment\b.*$"#), "a --comment line"),
        (pattern(#"^\s*-[\s]*rollback\b.*$"#), "a --rollback line"),
        (pattern(#"^\s*-[\s]*precondition.*$"#), "a --precondition line"),
    ]

    static func pattern(_ text: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: text, options: [.caseInsensitive])
    }

    static func matches(_ line: String, _ regex: NSRegularExpression) -> Bool {
        regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    /// The captured groups of the first match (empty strings for groups that took part in none).
    static func capture(_ line: String, _ regex: NSRegularExpression) -> [String]? {
        guard let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: line).map { String(line[$0]) } ?? ""
        }
    }
}
