/// The changes only PostgreSQL can make in place: its own kinds of objects, column alterations
/// and constraints added or dropped on a live table.
extension SchemaChange {
    func postgresStatements(_ sql: DefinitionSQL) throws(SchemaChangeError) -> [SchemaStatement] {
        func one(_ text: String) -> [SchemaStatement] { [SchemaStatement(text + ";")] }
        func alterColumn(_ table: QualifiedName, _ column: String, _ action: String) -> [SchemaStatement] {
            one("ALTER TABLE \(sql.quote(table)) ALTER COLUMN \(sql.quote(column)) \(action)")
        }
        switch self {
        case .createNamespace(let name):
            return one("CREATE SCHEMA \(sql.quote(name))")
        case .dropNamespace(let name):
            return one("DROP SCHEMA \(sql.quote(name))")
        case .createExtension(let object):
            var text = "CREATE EXTENSION \(sql.quote(object.name))"
            if let schema = object.schema { text += " WITH SCHEMA \(sql.quote(schema))" }
            if let version = object.version { text += " VERSION \(sql.flavor.literal(version))" }
            return one(text)
        case .updateExtension(let name, _, let to):
            return one("ALTER EXTENSION \(sql.quote(name)) UPDATE TO \(sql.flavor.literal(to))")
        case .dropExtension(let object):
            return one("DROP EXTENSION \(sql.quote(object.name))")
        case .createEnum(let type):
            let values = type.values.map(sql.flavor.literal).joined(separator: ", ")
            return one("CREATE TYPE \(sql.quote(type.name)) AS ENUM (\(values))")
                + [sql.comment(on: .type(type.name), type.comment)].compactMap { $0 }
        case .addEnumValue(let type, let value, let before):
            let position = before.map { " BEFORE \(sql.flavor.literal($0))" } ?? ""
            return one("ALTER TYPE \(sql.quote(type)) ADD VALUE \(sql.flavor.literal(value))\(position)")
        case .dropEnum(let type):
            return one("DROP TYPE \(sql.quote(type.name))")
        case .createDomain(let domain):
            var text = "CREATE DOMAIN \(sql.quote(domain.name)) AS \(domain.type)"
            if let defaultValue = domain.defaultValue { text += " DEFAULT " + defaultValue }
            if !domain.nullable { text += " NOT NULL" }
            for check in domain.checks { text += " " + sql.constraintClause(.check(check)) }
            return one(text)
        case .alterDomain(let from, let to):
            return try alterDomain(from: from, to: to, sql)
        case .dropDomain(let domain):
            return one("DROP DOMAIN \(sql.quote(domain.name))")
        case .createSequence(let sequence):
            return one("CREATE SEQUENCE \(sql.quote(sequence.name))\(sequenceClauses(from: nil, to: sequence, sql))")
        case .alterSequence(let from, let to):
            return one("ALTER SEQUENCE \(sql.quote(to.name))\(sequenceClauses(from: from, to: to, sql))")
        case .dropSequence(let sequence):
            return one("DROP SEQUENCE \(sql.quote(sequence.name))")
        case .alterColumnType(let table, let column, _, let to, let using):
            var action = "TYPE " + to.type
            if let collation = to.collation { action += " COLLATE " + sql.quote(collation) }
            if let using { action += " USING " + using }
            return alterColumn(table, column, action)
        case .alterColumnNullability(let table, let column, let nullable):
            return alterColumn(table, column, nullable ? "DROP NOT NULL" : "SET NOT NULL")
        case .alterColumnDefault(let table, let column, _, let to):
            return alterColumn(table, column, to.map { "SET DEFAULT " + $0 } ?? "DROP DEFAULT")
        case .alterColumnIdentity(let table, let column, let from, let to):
            let generated = to == .always ? "ALWAYS" : "BY DEFAULT"
            if from == nil { return alterColumn(table, column, "ADD GENERATED \(generated) AS IDENTITY") }
            return alterColumn(table, column, to == nil ? "DROP IDENTITY" : "SET GENERATED \(generated)")
        case .addConstraint(let table, let constraint):
            return one("ALTER TABLE \(sql.quote(table)) ADD \(sql.constraintClause(constraint))")
        case .dropConstraint(let table, let constraint):
            return one("ALTER TABLE \(sql.quote(table)) DROP CONSTRAINT \(sql.quote(try Self.constraintName(constraint, table: table)))")
        case .replaceRoutine(let previous, let routine):
            // `CREATE OR REPLACE` keeps the comment a routine had.
            let target = CommentTarget.routine(routine.name, signature: routine.signature, kind: routine.kind)
            let comment = previous?.comment == routine.comment ? nil : sql.setComment(on: target, routine.comment)
            return [SchemaStatement(DefinitionSQL.terminated(Self.orReplace(routine.definition)))] + [comment].compactMap { $0 }
        case .dropRoutine(let routine):
            return one("DROP \(routine.kind.rawValue.uppercased()) \(sql.quote(routine.name))(\(routine.signature))")
        default:
            preconditionFailure("\(self) renders the same on both engines")
        }
    }

    /// PostgreSQL's own name for an unnamed constraint (`orders_pkey`, `orders_customer_id_fkey`).
    /// A check's depends on its expression, which this cannot know.
    static func constraintName(_ constraint: TableConstraint, table: QualifiedName) throws(SchemaChangeError) -> String {
        switch constraint {
        case .primaryKey(let key): key.name ?? table.name + "_pkey"
        case .unique(let unique): unique.name ?? ([table.name] + unique.columns + ["key"]).joined(separator: "_")
        case .foreignKey(let key): key.name ?? ([table.name] + key.columns + ["fkey"]).joined(separator: "_")
        case .check(let check):
            if let name = check.name { name } else { throw .unnamedConstraint(table: table, constraint: "CHECK (\(check.expression))") }
        }
    }

    /// A stored `CREATE FUNCTION` made into `CREATE OR REPLACE FUNCTION`, so it also replaces.
    static func orReplace(_ definition: String) -> String {
        let trimmed = DefinitionSQL.withoutTerminator(definition)
        let words = trimmed.split(separator: " ", maxSplits: 2)
        guard words.count == 3, words[0].uppercased() == "CREATE", words[1].uppercased() != "OR" else { return trimmed }
        return "CREATE OR REPLACE " + words[1] + " " + words[2]
    }

    private func alterDomain(from: Domain, to: Domain, _ sql: DefinitionSQL) throws(SchemaChangeError) -> [SchemaStatement] {
        guard SQLNormalization.type(from.type, .postgresql) == SQLNormalization.type(to.type, .postgresql) else {
            throw .domainTypeChanged(domain: to.name, from: from.type, to: to.type)
        }
        let domain = "ALTER DOMAIN \(sql.quote(to.name)) "
        var statements: [SchemaStatement] = []
        if from.defaultValue != to.defaultValue {
            statements.append(SchemaStatement(domain + (to.defaultValue.map { "SET DEFAULT " + $0 } ?? "DROP DEFAULT") + ";"))
        }
        if from.nullable != to.nullable {
            statements.append(SchemaStatement(domain + (to.nullable ? "DROP NOT NULL" : "SET NOT NULL") + ";"))
        }
        for check in from.checks where !to.checks.contains(check) {
            guard let name = check.name else {
                throw .unnamedConstraint(table: to.name, constraint: "CHECK (\(check.expression))")
            }
            statements.append(SchemaStatement(domain + "DROP CONSTRAINT \(sql.quote(name));"))
        }
        for check in to.checks where !from.checks.contains(check) {
            statements.append(SchemaStatement(domain + "ADD " + sql.constraintClause(.check(check)) + ";"))
        }
        return statements
    }

    /// Every clause of a new sequence; only those that differ when altering one.
    private func sequenceClauses(from: Sequence?, to: Sequence, _ sql: DefinitionSQL) -> String {
        var clauses: [String] = []
        func add(_ changed: (Sequence) -> Bool, _ clause: String) {
            if from.map(changed) ?? true { clauses.append(clause) }
        }
        add({ $0.type != to.type }, "AS " + to.type)
        add({ $0.increment != to.increment }, "INCREMENT BY \(to.increment)")
        add({ $0.minimum != to.minimum }, "MINVALUE \(to.minimum)")
        add({ $0.maximum != to.maximum }, "MAXVALUE \(to.maximum)")
        add({ $0.start != to.start }, "START WITH \(to.start)")
        add({ $0.cache != to.cache }, "CACHE \(to.cache)")
        add({ $0.cycle != to.cycle }, to.cycle ? "CYCLE" : "NO CYCLE")
        if from.map({ $0.ownedBy != to.ownedBy }) ?? (to.ownedBy != nil) {
            let owner = to.ownedBy.map { $0.split(separator: ".").map { sql.quote(String($0)) }.joined(separator: ".") }
            clauses.append("OWNED BY " + (owner ?? "NONE"))
        }
        return clauses.map { " " + $0 }.joined()
    }
}
