import StrataSchema

/// A `<column>` of a change, read for one engine: its type mapped, names folded the way the
/// engine folds unquoted names, and its value or default written as SQL.
struct ColumnConfig {
    let node: ChangelogNode
    let flavor: SQLFlavor

    var name: String { LiquibaseNames.fold(node.string("name") ?? "", flavor) }
    var writtenType: String? { node.string("type") }
    var constraints: ChangelogNode? { node.child("constraints") }

    func constraint(_ name: String) -> String? { constraints?.string(name) }
    func flag(_ name: String) -> Bool { constraint(name)?.lowercased() == "true" }

    var isPrimaryKey: Bool { flag("primaryKey") }
    var autoIncrement: Bool {
        node.string("autoIncrement")?.lowercased() == "true" || writtenType.map { LiquibaseType.sql($0, flavor: flavor).autoIncrement } == true
    }

    /// The column as a schema value (without its key and foreign-key constraints, which belong to the table).
    func column() -> Column {
        var type = writtenType.map { LiquibaseType.sql($0, flavor: flavor).type } ?? ""
        // SQLite's AUTOINCREMENT exists only on an INTEGER PRIMARY KEY.
        if autoIncrement, flavor == .sqlite { type = "INTEGER" }
        var column = Column(name: name, type: type)
        column.nullable = !(constraint("nullable")?.lowercased() == "false" || isPrimaryKey)
        if let computed = node.string("defaultValueComputed"), let expression = Self.generatedExpression(computed) {
            column.generated = expression
        } else {
            column.defaultValue = defaultValue
        }
        if autoIncrement, flavor == .postgresql { column.identity = .byDefault }
        column.comment = node.string("remarks")
        return column
    }

    /// `GENERATED ALWAYS AS (expr) STORED` written as a computed default: a generated column.
    static func generatedExpression(_ computed: String) -> String? {
        let text = computed.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("generated always as"), let open = text.firstIndex(of: "("),
              let close = text.lastIndex(of: ")"), open < close else { return nil }
        return String(text[text.index(after: open)..<close])
    }

    /// The `defaultValue*` attribute as SQL, or nil.
    var defaultValue: String? {
        LiquibaseValues.sql(node, prefix: "defaultValue", flavor: flavor)
    }

    /// The `value*` attribute as SQL, or nil when the column has none.
    var value: String? {
        LiquibaseValues.sql(node, prefix: "value", flavor: flavor)
    }
}

/// Names as Liquibase sends them: on PostgreSQL a name with no lower-case letter is folded to
/// lower case (Liquibase leaves it unquoted, so PostgreSQL folds it); mixed case stays, quoted.
enum LiquibaseNames {
    static func fold(_ name: String, _ flavor: SQLFlavor) -> String {
        guard flavor == .postgresql, !name.contains(where: \.isLowercase) else { return name }
        return name.lowercased()
    }

    static func qualified(_ node: ChangelogNode, _ attribute: String, schema: String = "schemaName", _ flavor: SQLFlavor) -> QualifiedName? {
        guard let name = node.string(attribute) else { return nil }
        return QualifiedName(schema: node.string(schema).map { fold($0, flavor) }, fold(name, flavor))
    }
}

/// Liquibase's typed values (`value`, `valueNumeric`, `valueBoolean`, `valueDate`,
/// `valueComputed`, `valueSequenceNext`…, and the same under `defaultValue`) as SQL.
enum LiquibaseValues {
    static func sql(_ node: ChangelogNode, prefix: String, flavor: SQLFlavor) -> String? {
        if let text = node.string(prefix) { return literal(text, flavor) }
        if let number = node.string(prefix + "Numeric") { return number }
        if let boolean = node.string(prefix + "Boolean") { return self.boolean(boolean, flavor) }
        if let date = node.string(prefix + "Date") { return self.date(date, flavor) }
        if let computed = node.string(prefix + "Computed") { return currentDateTime(computed, flavor) ?? computed }
        if let sequence = node.string(prefix + "SequenceNext") {
            return flavor == .postgresql ? "nextval('\(LiquibaseNames.fold(sequence, flavor))')" : nil
        }
        if let sequence = node.string(prefix + "SequenceCurrent") {
            return flavor == .postgresql ? "currval('\(LiquibaseNames.fold(sequence, flavor))')" : nil
        }
        return nil
    }

    /// Liquibase writes the current date-time functions in the engine's own spelling.
    static func currentDateTime(_ text: String, _ flavor: SQLFlavor) -> String? {
        guard ["current_timestamp", "now()", "current_timestamp()", "sysdate", "getdate()"].contains(text.lowercased()) else { return nil }
        return flavor == .postgresql ? "NOW()" : "CURRENT_TIMESTAMP"
    }

    static func literal(_ text: String, _ flavor: SQLFlavor) -> String {
        text.uppercased() == "NULL" ? "NULL" : flavor.literal(text)
    }

    static func boolean(_ text: String, _ flavor: SQLFlavor) -> String {
        let truth = ["true", "1", "t", "y", "yes"].contains(text.lowercased())
        if !["true", "false", "1", "0", "t", "f", "y", "n", "yes", "no"].contains(text.lowercased()) { return text }
        switch flavor {
        case .postgresql: return truth ? "TRUE" : "FALSE"
        case .sqlite: return truth ? "1" : "0"
        }
    }

    /// An ISO date or time (`2014-12-01T13:15:33`) as a literal; a function (`NOW()`) as written.
    static func date(_ text: String, _ flavor: SQLFlavor) -> String {
        guard let first = text.first, first.isNumber else { return text }
        return flavor.literal(text.replacing("T", with: " "))
    }
}
