/// What the replaced column's definition becomes on its replacement: the type, nullability,
/// default and comment, and every constraint and index that involves the column, restated on
/// the new column by name substitution under a temporary name that the contract swaps for the
/// original one (so the end schema is the one a plain `RENAME COLUMN` would give).
extension ColumnReplacement {
    public struct Carried: Sendable, Equatable {
        /// A constraint or index of the old column, restated on the new one.
        public struct Restated: Sendable, Equatable {
            /// What it is, which decides how the expand creates it and the contract finishes it.
            public enum Kind: Sendable, Equatable {
                /// A CHECK or FOREIGN KEY: added NOT VALID, validated after the backfill, renamed in the contract.
                case constraint
                /// An index no constraint owns: built concurrently, renamed in the contract.
                case index
                /// A UNIQUE constraint: its unique index built concurrently, turned into the
                /// constraint in the contract (`ADD CONSTRAINT … UNIQUE USING INDEX`).
                case unique(Deferrability)
            }

            public let kind: Kind
            /// The old object's name, which the restated one takes in the contract.
            public let name: String
            /// Its name from the expand to the contract.
            public let temporaryName: String
            /// A constraint's clause (`CHECK (…)`, `FOREIGN KEY …`), or the index's `CREATE INDEX`
            /// statement (without `CONCURRENTLY`).
            public let definition: String
        }

        /// The old column's type, as the engine writes it.
        public let type: String
        public let collation: String?
        public let nullable: Bool
        public let defaultValue: String?
        public let comment: String?
        /// Constraints first, then indexes, each in name order.
        public let restated: [Restated]
        /// Views that read the old column: the contract's `DROP COLUMN` fails while they do.
        public let views: [QualifiedName]
        /// Where the definition was read, for the files' comments ("the schema the migrations build").
        public let source: String
    }

    /// Reads the old column's definition from `schema` (the one the migrations build, or the
    /// live database's), restating what involves the column on the new one.
    /// - Throws: ``ColumnReplacementError`` when the column is missing, or something that
    ///   involves it cannot be carried over (a primary key, a foreign key pointing at it, an
    ///   expression that name substitution cannot restate).
    public func carrying(from schema: Schema, source: String) throws(ColumnReplacementError) -> ColumnReplacement {
        let name = QualifiedName(schema: table.schema, table.name)
        guard let found = schema.table(name) ?? (table.schema == "public" ? schema.table(QualifiedName(table.name)) : nil) else {
            throw ColumnReplacementError("\(source) has no table \(name), so \(name).\(oldColumn)'s definition cannot be carried over: check the name, or pass --definition-from none to write the migrations without it.")
        }
        var copy = self
        copy.carried = try Carried(replacing: self, in: found, schema: schema, source: source)
        return copy
    }
}

extension ColumnReplacement.Carried {
    init(replacing replacement: ColumnReplacement, in table: Table, schema: Schema, source: String) throws(ColumnReplacementError) {
        let old = replacement.oldColumn, new = replacement.newColumn, place = "\(table.name).\(old)"
        guard let column = table.column(old) else {
            throw ColumnReplacementError("\(source) has no column \(place), so its definition cannot be carried over: check the name, or pass --definition-from none to write the migrations without it.")
        }
        guard table.column(new) == nil else {
            throw ColumnReplacementError("\(table.name) already has a column \(new) in \(source): choose another name for the replacement of \(place).")
        }
        let plainRename = "rename it with ALTER TABLE … RENAME COLUMN (a quick catalog change, but every application version must switch at once)"
        if let key = table.primaryKey, key.columns.contains(old) {
            throw ColumnReplacementError("\(place) is part of the primary key\(key.name.map { " \($0)" } ?? ""), which expand/contract cannot move to a new column: \(plainRename).")
        }
        if column.identity != nil || column.generated != nil {
            throw ColumnReplacementError("\(place) is \(column.identity != nil ? "an identity" : "a generated") column, whose values a trigger cannot copy: \(plainRename).")
        }
        for other in schema.tables {
            for key in other.foreignKeys where key.referencedTable == table.name && key.referencedColumns.contains(old) {
                throw ColumnReplacementError("The foreign key \(key.name ?? "(unnamed)") of \(other.name) references \(place), which the contract could not drop: \(plainRename), or move that foreign key first.")
            }
        }
        for object in schema.others where object.name.schema == table.name.schema && object.name.name.hasPrefix(table.name.name + ".")
            && ColumnRestatement.mentions(object.definition, old) {
            throw ColumnReplacementError("The \(object.kind) \(object.name) involves \(place) and cannot be restated on \(new): \(plainRename), or drop it and recreate it on \(new) by hand.")
        }
        let names = Set(table.checks.compactMap(\.name) + table.foreignKeys.compactMap(\.name) + table.uniques.compactMap(\.name)
                        + table.indexes.map(\.name) + [table.primaryKey?.name].compactMap { $0 })
        var temporaryNames = Set<String>()
        func temporaryName(for name: String?, what: String) throws(ColumnReplacementError) -> (String, String) {
            guard let name else {
                throw ColumnReplacementError("An unnamed \(what) on \(place) cannot be renamed in the contract: name it, or pass --definition-from none and restate it by hand.")
            }
            let temporary = ColumnRestatement.temporaryName(for: name, replacing: old, with: new)
            guard !names.contains(temporary), temporaryNames.insert(temporary).inserted else {
                throw ColumnReplacementError("\(place)'s \(what) \(name) would be restated as \(temporary), a name \(table.name) already uses: rename one of them first.")
            }
            return (name, temporary)
        }
        func restate(_ text: String, _ what: String) throws(ColumnReplacementError) -> String {
            do {
                return try ColumnRestatement.substituting(old, with: new, in: text)
            } catch {
                throw ColumnReplacementError("\(what) cannot be restated on \(new): \(error.reason) in `\(text)`. Write that constraint or index for \(new) by hand in a migration of its own, and pass --definition-from none.")
            }
        }
        let sql = DefinitionSQL(flavor: .postgresql)
        var restated: [Restated] = []
        for check in table.checks where ColumnRestatement.mentions(check.expression, old) {
            let (name, temporary) = try temporaryName(for: check.name, what: "CHECK constraint")
            let expression = try restate(check.expression, "The CHECK constraint \(name) of \(table.name)")
            restated.append(Restated(kind: .constraint, name: name, temporaryName: temporary,
                                     definition: sql.constraintClause(.check(CheckConstraint(expression: expression)))))
        }
        for key in table.foreignKeys where key.columns.contains(old) {
            let (name, temporary) = try temporaryName(for: key.name, what: "foreign key")
            var moved = key
            moved.name = nil
            moved.columns = key.columns.map { $0 == old ? new : $0 }
            restated.append(Restated(kind: .constraint, name: name, temporaryName: temporary, definition: sql.constraintClause(.foreignKey(moved))))
        }
        for unique in table.uniques where unique.columns.contains(old) {
            let (name, temporary) = try temporaryName(for: unique.name, what: "UNIQUE constraint")
            let index = Index(name: temporary, unique: true, keys: unique.columns.map { Index.Key($0 == old ? new : $0) })
            restated.append(Restated(kind: .unique(unique.deferrable), name: name, temporaryName: temporary,
                                     definition: try Self.create(sql, index, on: table.name)))
        }
        for index in table.indexes where Self.involves(index, old) {
            let (name, temporary) = try temporaryName(for: index.name, what: "index")
            var moved = index
            moved.name = temporary
            moved.include = index.include.map { $0 == old ? new : $0 }
            for position in moved.keys.indices {
                let key = moved.keys[position]
                moved.keys[position].expression = key.isColumn ? (key.expression == old ? new : key.expression)
                    : try restate(key.expression, "The index \(name) of \(table.name)")
            }
            moved.predicate = try index.predicate.map { text throws(ColumnReplacementError) in try restate(text, "The index \(name) of \(table.name)") }
            restated.append(Restated(kind: .index, name: name, temporaryName: temporary, definition: try Self.create(sql, moved, on: table.name)))
        }
        self.init(
            type: column.type, collation: column.collation, nullable: column.nullable, defaultValue: column.defaultValue, comment: column.comment,
            restated: restated, views: schema.views.filter { $0.dependsOn.contains(table.name) && ColumnRestatement.mentions($0.definition, old) }.map(\.name),
            source: source)
    }

    private static func involves(_ index: Index, _ column: String) -> Bool {
        index.keys.contains { $0.isColumn ? $0.expression == column : ColumnRestatement.mentions($0.expression, column) }
            || index.include.contains(column) || index.predicate.map { ColumnRestatement.mentions($0, column) } == true
    }

    private static func create(_ sql: DefinitionSQL, _ index: Index, on table: QualifiedName) throws(ColumnReplacementError) -> String {
        do {
            return try sql.createIndex(index, on: table)
        } catch {
            throw ColumnReplacementError("The index \(index.name) of \(table) cannot be written: \(error).")
        }
    }
}

/// Why a column replacement cannot be written as asked: one paragraph saying what to do.
public struct ColumnReplacementError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
