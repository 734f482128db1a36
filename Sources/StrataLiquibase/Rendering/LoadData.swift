import Foundation
import StrataSchema

/// loadData and loadUpdateData: the CSV read when the changelog was loaded, one INSERT per row
/// (loadUpdateData: an upsert on its primary key). A column's `type` decides how its values are
/// written; without one a value is a string literal, which both engines convert to the
/// column's type as Liquibase's typed parameters would.
extension ChangeRenderer {
    func loadData() throws(ChangelogError) -> [String] {
        guard let contents = change.fileContents else {
            throw ChangelogError(.missingAttribute("file", element: change.kind.rawValue), at: change.location)
        }
        let separator = node.string("separator").flatMap(\.first) ?? ","
        let quote = node.string("quotchar").flatMap(\.first) ?? "\""
        var rows = CSV.rows(contents, separator: separator, quote: quote)
        guard !rows.isEmpty else { return [] }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        let configs = node.children(named: "column")
        let primaryKey = DatabaseList.split(node.string("primaryKey")).map(fold)
        // Rows whose first field starts with `commentLineStartsWith` (`#` unless set; empty: none) are comments.
        let comment = node.string("commentLineStartsWith") ?? "#"
        var statements: [String] = []
        for row in rows where !(row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty) {
            if !comment.isEmpty, row.first?.hasPrefix(comment) == true { continue }
            var values: [(String, String)] = []
            for (index, title) in header.enumerated() {
                let config = configs.first { $0.string("header") == title || ($0.string("index").flatMap { Int($0) } == index) }
                    ?? configs.first { $0.string("name") == title && $0.string("header") == nil }
                let type = config?.string("type")?.uppercased()
                if type == "SKIP" { continue }
                let name = fold(config?.string("name") ?? title)
                let text = index < row.count ? row[index] : ""
                values.append((name, value(text, type: type)))
            }
            statements.append(try upsert(values, primaryKey: change.kind == .loadUpdateData ? primaryKey : []))
        }
        return statements
    }

    private func value(_ text: String, type: String?) -> String {
        if text.isEmpty || text.uppercased() == "NULL" { return "NULL" }
        switch type {
        case "NUMERIC", "COMPUTED", "SEQUENCE": return text
        case "BOOLEAN": return LiquibaseValues.boolean(text, flavor)
        default: return flavor.literal(text)
        }
    }

    /// loadUpdateData's row: on PostgreSQL Liquibase's block (update the row with that key, insert
    /// it when there is none), which needs no unique constraint on the key; on SQLite an upsert.
    private func upsert(_ values: [(String, String)], primaryKey: [String]) throws(ChangelogError) -> String {
        let insert = try self.insert(values)
        guard !primaryKey.isEmpty else { return insert }
        if flavor == .postgresql {
            let key = values.filter { primaryKey.contains($0.0) }.map { "\(flavor.quote($0.0)) = \($0.1)" }.joined(separator: " AND ")
            let assignments = values.filter { !primaryKey.contains($0.0) }.map { "\(flavor.quote($0.0)) = \($0.1)" }.joined(separator: ", ")
            let find = assignments.isEmpty
                ? "PERFORM 1 FROM \(quote(try table())) WHERE \(key);"
                : "UPDATE \(quote(try table())) SET \(assignments) WHERE \(key);"
            return "DO\n$$\nBEGIN\n\(find)\nIF not found THEN\n\(insert);\nEND IF;\nEND;\n$$\nLANGUAGE plpgsql"
        }
        let updates = values.filter { !primaryKey.contains($0.0) }
            .map { "\(flavor.quote($0.0)) = EXCLUDED.\(flavor.quote($0.0))" }.joined(separator: ", ")
        let target = primaryKey.map(flavor.quote).joined(separator: ", ")
        return insert + " ON CONFLICT (\(target)) DO " + (updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates)
    }
}

/// RFC 4180 CSV with a configurable separator and quote, as Liquibase's opencsv reads it.
enum CSV {
    static func rows(_ text: String, separator: Character, quote: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == quote {
                    let next = iterator.next()
                    if next == quote { field.append(quote) } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
            } else if character == quote, field.isEmpty {
                quoted = true
            } else if character == separator {
                row.append(field)
                field = ""
            } else if character.isNewline {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
