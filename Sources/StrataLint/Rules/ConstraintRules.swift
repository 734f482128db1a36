/// Rules about constraints: validation scans, index builds, and foreign keys without indexes.
extension LintRule {
    /// The constraints `ALTER TABLE` adds to an existing table.
    static func addedConstraints(_ statement: LintStatement, _ context: LintContext) -> [(Relation, TableConstraint)] {
        alterations(statement, context) { if case .addConstraint(let constraint) = $0 { constraint } else { nil } }
    }

    static let constraintNotValid = LintRule(
        "constraint-not-valid", .error, "A foreign key or CHECK added without NOT VALID scans the table under lock."
    ) { statement, context in
        addedConstraints(statement, context).filter { [.foreignKey, .check].contains($0.1.kind) && !$0.1.notValid }.map { table, constraint in
            let name = constraint.name ?? constraint.defaultName(on: table)
            let definition: String
            let lock: LockMode
            let blocked: String
            if constraint.kind == .foreignKey, let referenced = constraint.referencedTable {
                let actions = [constraint.onUpdate.map { " ON UPDATE \($0)" }, constraint.onDelete.map { " ON DELETE \($0)" }].compactMap { $0 }.joined()
                let target = constraint.referencedColumns.isEmpty ? "" : " (\(SQLName.list(constraint.referencedColumns)))"
                definition = "FOREIGN KEY (\(SQLName.list(constraint.columns))) REFERENCES \(referenced)\(target)\(actions)"
                lock = .shareRowExclusive
                blocked = "blocks writes to \(table) and \(referenced)"
            } else {
                definition = "CHECK \(constraint.expression ?? "(…)")"
                lock = .accessExclusive
                blocked = "blocks all reads and writes of \(table)"
            }
            return RuleHit(
                message: "Adds \(constraint.kind == .foreignKey ? "the foreign key" : "the CHECK constraint") \(SQLName.quoted(name)) to \(table) and validates it at once.",
                lock: lock, table: table.description, work: .scan,
                why: "PostgreSQL reads every row to check the constraint while its \(lock.rawValue) lock \(blocked).",
                safeSQL: """
                    ALTER TABLE \(table) ADD CONSTRAINT \(SQLName.quoted(name)) \(definition) NOT VALID;
                    -- next migration (VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes go on):
                    ALTER TABLE \(table) VALIDATE CONSTRAINT \(SQLName.quoted(name));
                    """)
        }
    }

    static let validateSameTransaction = LintRule(
        "validate-same-transaction", .error, "VALIDATE in the transaction that added the constraint NOT VALID keeps the add's lock through the scan."
    ) { statement, context in
        guard case .alterTable(let table, let commands) = statement.kind else { return [] }
        return commands.compactMap { command -> RuleHit? in
            guard case .validateConstraint(let name) = command, context.notValidInTransaction.contains(name) else { return nil }
            return RuleHit(
                message: "Validates \(SQLName.quoted(name)) in the transaction that added it NOT VALID.",
                lock: .accessExclusive, table: table.description, work: .scan,
                why: "The lock the ADD took is held until the transaction ends, so the validation's scan runs under it: NOT VALID gains nothing.",
                safeSQL: "-- move this statement to the next migration:\n\(statement.text);")
        }
    }

    static let uniqueWithoutIndex = LintRule(
        "unique-without-index", .error, "ADD PRIMARY KEY or UNIQUE builds its index under ACCESS EXCLUSIVE."
    ) { statement, context in
        let constraints = addedConstraints(statement, context)
            .filter { [.primaryKey, .unique].contains($0.1.kind) && $0.1.usingIndex == nil }
            .map { table, constraint in (table, constraint.kind, constraint.columns, constraint.name) }
        let columns = addedColumns(statement, context).filter { $0.1.primaryKey || $0.1.unique }
            .map { table, column in (table, column.primaryKey ? TableConstraint.Kind.primaryKey : .unique, [column.name], String?.none) }
        return (constraints + columns).map { table, kind, keys, name in
            let what = kind == .primaryKey ? "PRIMARY KEY" : "UNIQUE"
            let index = SQLName.quoted(name ?? "\(table.name)_\(keys.joined(separator: "_"))_\(kind == .primaryKey ? "pkey" : "key")")
            return RuleHit(
                message: "Adds a \(what) constraint on \(table) (\(SQLName.list(keys))), building its index in place.",
                lock: .accessExclusive, table: table.description, work: .scan,
                why: "The unique index is built by reading the whole table while ACCESS EXCLUSIVE blocks all reads and writes of \(table).",
                safeSQL: """
                    CREATE UNIQUE INDEX CONCURRENTLY \(index) ON \(table) (\(SQLName.list(keys)));
                    -- next migration:
                    ALTER TABLE \(table) ADD CONSTRAINT \(index) \(what) USING INDEX \(index);
                    """)
        }
    }

    static let foreignKeyWithoutIndex = LintRule(
        "foreign-key-without-index", .warning, "A foreign key whose referencing columns no index leads with.",
        migrationEnd: { context in
            context.foreignKeys.filter { key in
                !(context.indexKeys[key.table] ?? []).contains { $0.starts(with: key.columns) }
            }.map { key in
                let table = Relation(name: key.table)
                let concurrently = context.isNew(table) ? "" : " CONCURRENTLY"
                return RuleHit(
                    message: "The foreign key on \(table) (\(SQLName.list(key.columns))) has no index on those columns.",
                    table: table.description,
                    why: "Every DELETE or key UPDATE on the referenced table scans \(table) for referencing rows, holding its locks meanwhile, and joins on the key read the whole table.",
                    safeSQL: "CREATE INDEX\(concurrently) \(SQLName.quoted("\(key.table)_\(key.columns.joined(separator: "_"))_idx")) ON \(table) (\(SQLName.list(key.columns)));",
                    line: key.line)
            }
        })
}

extension TableConstraint {
    /// The name PostgreSQL gives a constraint the statement leaves unnamed (`orders_customer_id_fkey`).
    func defaultName(on table: Relation) -> String {
        switch kind {
        case .foreignKey: "\(table.name)_\(columns.joined(separator: "_"))_fkey"
        case .primaryKey: "\(table.name)_pkey"
        case .unique: "\(table.name)_\(columns.joined(separator: "_"))_key"
        default: "\(table.name)_\(notNullColumn.map { "\($0)_" } ?? "")check"
        }
    }
}
