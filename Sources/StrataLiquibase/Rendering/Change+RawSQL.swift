import Foundation
import StrataSchema

/// The changes Strata writes itself, as Liquibase writes them: raw SQL, data changes,
/// sequences and auto-increment, and the forms StrataSchema has no value for.
extension ChangeRenderer {
    func raw() throws(ChangelogError) -> [String] {
        switch change.kind {
        case .sql:
            return try split(try required("sql"))
        case .sqlFile:
            return try split(change.expandedFileContents ?? "")
        case .createProcedure:
            let text = change.expandedFileContents ?? node.string("procedureText") ?? ""
            return [DefinitionText.trimmed(text)]
        case .dropProcedure:
            return ["DROP PROCEDURE \(quote(try table("procedureName")))"]
        case .dropTable:
            return ["DROP TABLE \(quote(try table()))" + (flavor == .postgresql ? " CASCADE" : "")]
        case .addForeignKeyConstraint:
            let key = try foreignKey()
            let clause = DefinitionText.constraint(key, flavor: flavor)
            guard flavor == .postgresql else { throw unsupported("SQLite adds foreign keys only by rebuilding the table") }
            return ["ALTER TABLE \(quote(try table("baseTableName", schema: "baseTableSchemaName"))) ADD \(clause) NOT VALID"]
        case .dropAllForeignKeyConstraints:
            guard flavor == .postgresql else { throw unsupported("SQLite drops foreign keys only by rebuilding the table") }
            let name = quote(try table("baseTableName", schema: "baseTableSchemaName"))
            // Liquibase reads the keys from the database; one PL/pgSQL block finds them at run time instead.
            return ["""
                DO $$DECLARE r record; BEGIN FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = \(flavor.literal(name))::regclass AND contype = 'f' LOOP EXECUTE format('ALTER TABLE \(name.replacing("'", with: "''")) DROP CONSTRAINT %I', r.conname); END LOOP; END$$
                """]
        case .createView:
            let query = try viewQuery()
            if node.string("fullDefinition")?.lowercased() == "true" { return [query] }
            let replace = node.string("replaceIfExists")?.lowercased() == "true"
            guard flavor == .postgresql || !replace else {
                return ["DROP VIEW IF EXISTS \(quote(try table("viewName")))", "CREATE VIEW \(quote(try table("viewName"))) AS \(query)"]
            }
            return ["CREATE \(replace ? "OR REPLACE " : "")VIEW \(quote(try table("viewName"))) AS \(query)"]
        case .dropView:
            return ["DROP VIEW IF EXISTS \(quote(try table("viewName")))"]
        case .renameView:
            guard flavor == .postgresql else { throw unsupported("SQLite cannot rename a view; drop and create it") }
            return ["ALTER TABLE \(quote(try table("oldViewName"))) RENAME TO \(quote(try required("newViewName")))"]
        case .createSequence:
            guard flavor == .postgresql else { throw unsupported("SQLite has no sequences") }
            var text = "CREATE SEQUENCE IF NOT EXISTS \(quote(try table("sequenceName")))"
            if let type = node.string("dataType") { text += " AS \(type)" }
            return [text + sequenceClauses(creating: true)]
        case .alterSequence:
            guard flavor == .postgresql else { throw unsupported("SQLite has no sequences") }
            var text = "ALTER SEQUENCE \(quote(try table("sequenceName")))"
            if let type = node.string("dataType") { text += " AS \(type)" }
            return [text + sequenceClauses(creating: false)]
        case .dropSequence:
            guard flavor == .postgresql else { throw unsupported("SQLite has no sequences") }
            return ["DROP SEQUENCE \(quote(try table("sequenceName"))) CASCADE"]
        case .renameSequence:
            guard flavor == .postgresql else { throw unsupported("SQLite has no sequences") }
            return ["ALTER SEQUENCE \(quote(try table("oldSequenceName"))) RENAME TO \(quote(try required("newSequenceName")))"]
        case .addAutoIncrement:
            return try addAutoIncrement()
        case .insert:
            return [try insert(columns.map { ($0.name, $0.value ?? "NULL") })]
        case .update:
            let assignments = columns.map { "\(flavor.quote($0.name)) = \($0.value ?? "NULL")" }.joined(separator: ", ")
            return ["UPDATE \(quote(try table())) SET \(assignments)" + whereClause()]
        case .delete:
            return ["DELETE FROM \(quote(try table()))" + whereClause()]
        case .loadData, .loadUpdateData:
            return try loadData()
        case .addLookupTable:
            return try addLookupTable()
        case .mergeColumns:
            return try mergeColumns()
        case .tagDatabase, .output, .empty:
            return []
        case .stop:
            throw ChangelogError(.stopRequested(node.string("message") ?? "Stop command in changelog file"), at: change.location)
        case .customChange:
            throw ChangelogError(.cannotRunHere(.customChange, changeSet: changeSet, detail: "class \(node.string("class") ?? "?")"), at: change.location)
        case .executeCommand:
            throw ChangelogError(.cannotRunHere(.executeCommand, changeSet: changeSet, detail: "executable \(node.string("executable") ?? "?")"), at: change.location)
        default:
            throw unsupported("no SQL is known for it")
        }
    }

    /// `sql`/`sqlFile` text split as Liquibase splits it (unless `splitStatements="false"`).
    func split(_ text: String) throws(ChangelogError) -> [String] {
        let strip = node.string("stripComments")?.lowercased() == "true"
        guard node.string("splitStatements")?.lowercased() != "false" else {
            let body = strip ? LiquibaseSQLSplitter.stripComments(text) : text
            return [DefinitionText.trimmed(body)].filter { !$0.isEmpty }
        }
        let delimiter = node.string("endDelimiter")
        if delimiter?.isEmpty == true {
            throw ChangelogError(.invalidValue(attribute: "endDelimiter", value: "", expected: "a character such as ; or /, or a regular expression"), at: change.location)
        }
        return LiquibaseSQLSplitter.split(text, endDelimiter: delimiter, stripComments: strip)
    }

    func whereClause() -> String {
        guard var condition = node.string("where") else { return "" }
        // `:name` and `:value` placeholders take the whereParams values in order, as Liquibase does.
        for param in node.child("whereParams")?.children(named: "param") ?? [] {
            let config = ColumnConfig(node: param, flavor: flavor)
            let value = config.value ?? "NULL"
            let placeholder = param.string("name").map { ":" + $0 }
            if let placeholder, let range = condition.range(of: placeholder) {
                condition.replaceSubrange(range, with: flavor.quote(config.name) + " = " + value)
            } else if let range = condition.range(of: ":value") {
                condition.replaceSubrange(range, with: value)
            }
        }
        return " WHERE " + condition
    }

    func insert(_ values: [(String, String)]) throws(ChangelogError) -> String {
        let names = values.map { flavor.quote($0.0) }.joined(separator: ", ")
        return "INSERT INTO \(quote(try table())) (\(names)) VALUES (\(values.map(\.1).joined(separator: ", ")))"
    }

    func sequenceClauses(creating: Bool) -> String {
        var clauses = ""
        if let start = node.string("startValue") { clauses += creating ? " START WITH \(start)" : " RESTART WITH \(start)" }
        if let increment = node.string("incrementBy") { clauses += " INCREMENT BY \(increment)" }
        if let minimum = node.string("minValue") { clauses += " MINVALUE \(minimum)" }
        if let maximum = node.string("maxValue") { clauses += " MAXVALUE \(maximum)" }
        if let cache = node.string("cacheSize") { clauses += " CACHE \(cache)" }
        if let cycle = node.string("cycle") { clauses += cycle.lowercased() == "true" ? " CYCLE" : " NO CYCLE" }
        return clauses
    }

    /// Liquibase's PostgreSQL auto-increment: a sequence named `<table>_<column>_seq`, the
    /// column's default taken from it, and the sequence owned by the column.
    func addAutoIncrement() throws(ChangelogError) -> [String] {
        guard flavor == .postgresql else { throw unsupported("SQLite makes a column auto-increment only by rebuilding its table") }
        let name = try table()
        let column = fold(try required("columnName"))
        let sequence = QualifiedName(schema: name.schema, "\(name.name)_\(column)_seq")
        var create = "CREATE SEQUENCE IF NOT EXISTS \(flavor.quote(sequence))"
        if let start = node.string("startWith") { create += " START WITH \(start)" }
        if let increment = node.string("incrementBy") { create += " INCREMENT BY \(increment)" }
        let alter = "ALTER TABLE \(flavor.quote(name)) ALTER COLUMN \(flavor.quote(column))"
        return [
            create,
            "\(alter) SET NOT NULL",
            "\(alter) SET DEFAULT nextval(\(flavor.literal(flavor.quote(sequence))))",
            "ALTER SEQUENCE \(flavor.quote(sequence)) OWNED BY \(flavor.quote(name)).\(flavor.quote(column))",
        ]
    }

    /// Liquibase's addLookupTable: the distinct values copied into a new table, which gets a
    /// primary key and a foreign key from the existing column.
    func addLookupTable() throws(ChangelogError) -> [String] {
        let existing = try table("existingTableName", schema: "existingTableSchemaName")
        let existingColumn = fold(try required("existingColumnName"))
        let new = try table("newTableName", schema: "newTableSchemaName")
        let newColumn = fold(try required("newColumnName"))
        let create = "CREATE TABLE \(quote(new)) AS SELECT DISTINCT \(flavor.quote(existingColumn)) AS \(flavor.quote(newColumn)) FROM \(quote(existing)) WHERE \(flavor.quote(existingColumn)) IS NOT NULL"
        guard flavor == .postgresql else { return [create] }
        let keyName = node.string("constraintName").map(fold) ?? "fk_\(existing.name)_\(new.name)"
        return [
            create,
            "ALTER TABLE \(quote(new)) ALTER COLUMN \(flavor.quote(newColumn)) SET NOT NULL",
            "ALTER TABLE \(quote(new)) ADD PRIMARY KEY (\(flavor.quote(newColumn)))",
            "ALTER TABLE \(quote(existing)) ADD CONSTRAINT \(flavor.quote(keyName)) FOREIGN KEY (\(flavor.quote(existingColumn))) REFERENCES \(quote(new)) (\(flavor.quote(newColumn)))",
        ]
    }

    /// Liquibase's mergeColumns: a new column filled with the two joined, then both dropped.
    func mergeColumns() throws(ChangelogError) -> [String] {
        let name = try table()
        let first = flavor.quote(fold(try required("column1Name")))
        let second = flavor.quote(fold(try required("column2Name")))
        let final = fold(try required("finalColumnName"))
        let type = LiquibaseType.sql(try required("finalColumnType"), flavor: flavor).type
        let join = flavor.literal(node.string("joinString") ?? "")
        return [
            "ALTER TABLE \(quote(name)) ADD \(flavor.quote(final)) \(type)",
            "UPDATE \(quote(name)) SET \(flavor.quote(final)) = \(first) || \(join) || \(second)",
            "ALTER TABLE \(quote(name)) DROP COLUMN \(first)",
            "ALTER TABLE \(quote(name)) DROP COLUMN \(second)",
        ]
    }
}

/// Small text helpers shared by the raw renderers.
enum DefinitionText {
    /// Surrounding whitespace and trailing `;` removed.
    static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isWhitespace || last == ";" { text.removeLast() }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        return String(text)
    }

    /// `CONSTRAINT name FOREIGN KEY (…) REFERENCES t (…)` with its actions.
    static func constraint(_ key: ForeignKey, flavor: SQLFlavor) -> String {
        var text = key.name.map { "CONSTRAINT \(flavor.quote($0)) " } ?? ""
        text += "FOREIGN KEY (\(key.columns.map(flavor.quote).joined(separator: ", "))) REFERENCES \(flavor.quote(key.referencedTable))"
        if !key.referencedColumns.isEmpty { text += " (\(key.referencedColumns.map(flavor.quote).joined(separator: ", ")))" }
        if key.onUpdate != .noAction { text += " ON UPDATE " + key.onUpdate.rawValue }
        if key.onDelete != .noAction { text += " ON DELETE " + key.onDelete.rawValue }
        return text
    }
}
