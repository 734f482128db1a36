/// Rules about adding and changing columns of existing tables.
extension LintRule {
    /// What `pick` finds in the subcommands of an `ALTER TABLE` of an existing table.
    static func alterations<Part>(_ statement: LintStatement, _ context: LintContext, _ pick: (AlterCommand) -> Part?) -> [(Relation, Part)] {
        guard case .alterTable(let table, let commands) = statement.kind, existing(table, context) != nil else { return [] }
        return commands.compactMap { command in pick(command).map { (table, $0) } }
    }

    /// The columns `ALTER TABLE` adds to an existing table.
    static func addedColumns(_ statement: LintStatement, _ context: LintContext) -> [(Relation, ColumnDefinition)] {
        alterations(statement, context) { if case .addColumn(let column) = $0 { column } else { nil } }
    }

    static let addColumnVolatileDefault = LintRule(
        "add-column-volatile-default", .error, "A column added with a volatile default, a serial type or identity rewrites the table."
    ) { statement, context in
        addedColumns(statement, context).compactMap { table, column in
            let cause: String? = if column.type.isSerial || column.identity {
                "is filled from a sequence"
            } else if let value = column.defaultValue, context.postgresVersion < 11 || !Volatility.isNonVolatile(value) {
                context.postgresVersion < 11
                    ? "has a default, which PostgreSQL \(context.postgresVersion) writes into every row"
                    : "has a default that is volatile (or not known to Strata as stable)"
            } else {
                nil
            }
            guard let cause else { return nil }
            let type = column.type.isSerial ? (column.type.name.hasPrefix("big") || column.type.name == "serial8" ? "bigint" : "integer") : column.type.description
            return RuleHit(
                message: "Adds \(table).\(column.name), which \(cause).",
                lock: .accessExclusive, table: table.description, work: .rewrite,
                why: "Every row is rewritten with the new value while ACCESS EXCLUSIVE blocks all reads and writes of \(table); on a large table that is minutes of downtime.",
                safeSQL: """
                    ALTER TABLE \(table) ADD COLUMN \(SQLName.quoted(column.name)) \(type);
                    -- set the default for new rows, then fill the old ones in batches (UPDATE … WHERE id BETWEEN …), each its own transaction
                    """)
        }
    }

    static let addColumnGeneratedStored = LintRule(
        "add-column-generated-stored", .error, "A stored generated column added to an existing table rewrites it."
    ) { statement, context in
        addedColumns(statement, context).filter { $0.1.generatedStored }.map { table, column in
            RuleHit(
                message: "Adds the stored generated column \(table).\(column.name).",
                lock: .accessExclusive, table: table.description, work: .rewrite,
                why: "PostgreSQL computes and writes the column into every row under ACCESS EXCLUSIVE, blocking all reads and writes of \(table).",
                safeSQL: """
                    ALTER TABLE \(table) ADD COLUMN \(SQLName.quoted(column.name)) \(column.type);
                    -- keep it up to date with a trigger, and fill existing rows in batches
                    """)
        }
    }

    static let addColumnRequired = LintRule(
        "add-column-required", .error, "A NOT NULL column without a default fails on a table that has rows."
    ) { statement, context in
        addedColumns(statement, context)
            .filter { $0.1.notNull && $0.1.defaultValue == nil && !$0.1.identity && !$0.1.type.isSerial && !$0.1.generatedStored }
            .map { table, column in
                RuleHit(
                    message: "Adds \(table).\(column.name) NOT NULL without a default.",
                    lock: .accessExclusive, table: table.description,
                    why: "Existing rows would hold NULL, so the statement fails as soon as \(table) has a row: the deploy breaks in production though it passed on an empty database.",
                    safeSQL: """
                        ALTER TABLE \(table) ADD COLUMN \(SQLName.quoted(column.name)) \(column.type) NOT NULL DEFAULT <constant>;
                        -- or: add it nullable, backfill in batches, then add the NOT NULL as set-not-null shows
                        """)
            }
    }

    static let setNotNull = LintRule(
        "set-not-null", .error, "SET NOT NULL scans the table under ACCESS EXCLUSIVE."
    ) { statement, context in
        alterations(statement, context) { if case .setNotNull(let column) = $0 { column } else { nil } }.compactMap { table, column -> RuleHit? in
            guard !(context.postgresVersion >= 12 && context.hasValidatedNotNullCheck(table: table, column: column)) else { return nil }
            let check = SQLName.quoted("\(table.name)_\(column)_not_null")
            let steps = context.postgresVersion >= 12
                ? """
                ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(SQLName.quoted(column)) IS NOT NULL) NOT VALID;
                -- next migration:
                ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
                ALTER TABLE \(table) ALTER COLUMN \(SQLName.quoted(column)) SET NOT NULL;
                ALTER TABLE \(table) DROP CONSTRAINT \(check);
                """
                : """
                ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(SQLName.quoted(column)) IS NOT NULL) NOT VALID;
                -- next migration (before PostgreSQL 12 SET NOT NULL always scans: keep the CHECK instead):
                ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
                """
            return RuleHit(
                message: "Makes \(table).\(column) NOT NULL.",
                lock: .accessExclusive, table: table.description, work: .scan,
                why: "PostgreSQL reads every row to prove there is no NULL while ACCESS EXCLUSIVE blocks all reads and writes of \(table).",
                safeSQL: steps)
        }
    }

    static let alterColumnType = LintRule(
        "alter-column-type", .error, "Changing a column's type rewrites the table, unless the change is binary-coercible."
    ) { statement, context in
        alterations(statement, context) { if case .alterType(let column, let type) = $0 { (column, type) } else { nil } }.compactMap { table, change -> RuleHit? in
            let (column, newType) = change
            let oldType = context.type(of: column, in: table)
            if let oldType, TypeChange.isBinaryCoercible(from: oldType, to: newType) { return nil }
            let from = oldType.map { "from \($0) " } ?? "(its old type is not in the migrations read) "
            return RuleHit(
                message: "Changes \(table).\(column) \(from)to \(newType).",
                lock: .accessExclusive, table: table.description, work: .rewrite,
                why: "Every row and every index of \(table) is rewritten under ACCESS EXCLUSIVE, blocking all reads and writes; clients reading the old type may break too.",
                safeSQL: """
                    ALTER TABLE \(table) ADD COLUMN \(SQLName.quoted(column + "_new")) \(newType);
                    -- write both columns from the application (or a trigger), backfill in batches,
                    -- switch reads to the new column, then drop the old one and rename
                    """)
        }
    }
}
