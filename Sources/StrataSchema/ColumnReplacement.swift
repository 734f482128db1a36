/// A column renamed, or given a new type, without downtime: the migrations `strata new
/// --rename-column` and `--change-type` write (PostgreSQL).
///
/// Expand adds the new column, a trigger that copies every write of either column to the other
/// (so the application version that knows only the old column and the one that knows only the
/// new one both work), and a batched backfill of the rows written before. When the old column's
/// definition is known (``carrying(from:source:)``), the new column gets it too: its CHECK
/// constraints and foreign keys, and NOT NULL as a CHECK, added NOT VALID and validated after the
/// backfill; its indexes in a migration of their own, built concurrently. Contract, once no
/// running version uses the old column, drops the trigger and the old column, sets the default and
/// NOT NULL (without a scan: the validated CHECK proves it), and gives the restated constraints
/// and indexes their original names, so the end schema is the one a plain rename gives.
public struct ColumnReplacement: Sendable {
    public let table: QualifiedName
    public let oldColumn: String
    public let newColumn: String
    /// The new column's type; nil keeps the old column's (a rename).
    public let newType: String?
    /// The old column's definition as the new one carries it; nil when it was not read.
    public internal(set) var carried: Carried?
    /// Why the definition was not carried, said in the expand file when ``carried`` is nil.
    public var notCarriedBecause = "no schema was read"

    /// Reads `table.old:new` (a rename) or `table.old:new:type` (`schema.table` works too).
    public init(parsing text: String, requiringType: Bool) throws(ColumnReplacementError) {
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        let path = parts.first?.split(separator: ".").map(String.init) ?? []
        let usage = requiringType ? "table.column:new_column:type, such as accounts.amount:amount_cents:bigint" : "table.column:new_column, such as people.name:full_name"
        guard parts.count == (requiringType ? 3 : 2), (2...3).contains(path.count), !parts[1].isEmpty, !(parts.count == 3 && parts[2].isEmpty) else {
            throw ColumnReplacementError("'\(text)' does not name a column and its replacement: write \(usage).")
        }
        table = QualifiedName(schema: path.count == 3 ? path[0] : nil, path[path.count - 2])
        oldColumn = path[path.count - 1]
        newColumn = parts[1]
        newType = parts.count == 3 ? parts[2] : nil
        guard oldColumn != newColumn else { throw ColumnReplacementError("'\(text)' replaces a column with itself; give the new column another name.") }
    }

    /// One migration of the replacement, in the order they run.
    public struct Migration: Sendable, Equatable {
        /// Added to the description the user gave (`""`, `" indexes"`, `" contract"`).
        public let suffix: String
        public let up: String
        /// The undo, or nil where the change cannot be undone by a script.
        public let down: String?
        /// Why there is no undo, for the layouts whose down file must exist anyway.
        public var irreversible: String? = nil
    }

    /// Expand; the index builds when there are indexes to carry; contract.
    public var migrations: [Migration] {
        [Migration(suffix: "", up: expand, down: expandUndo)]
            + (indexes.isEmpty ? [] : [Migration(suffix: " indexes", up: indexBuilds, down: indexUndo)])
            + [Migration(suffix: " contract", up: contract, down: nil, irreversible:
                "the contract drops \(table).\(oldColumn) and its values with it; to go back, add it again and copy \(newColumn) into it by hand")]
    }

    private let flavor = SQLFlavor.postgresql
    private var qualifiedTable: String { flavor.quote(table) }
    private var old: String { flavor.quote(oldColumn) }
    private var new: String { flavor.quote(newColumn) }
    private var trigger: String { flavor.quote("strata_sync_\(oldColumn)_\(newColumn)") }
    private var function: String { flavor.quote(QualifiedName(schema: table.schema, "strata_sync_\(table.name)_\(oldColumn)_\(newColumn)")) }
    /// Enforces NOT NULL on the new column until the contract's SET NOT NULL, which it lets skip its scan.
    private var notNullCheck: String { ColumnRestatement.identifier("\(table.name)_\(newColumn)_not_null") }
    private var constraints: [Carried.Restated] { carried?.restated.filter { $0.kind == .constraint } ?? [] }
    private var indexes: [Carried.Restated] { carried?.restated.filter { $0.kind != .constraint } ?? [] }
    private var carriesNotNull: Bool { carried?.nullable == false }
    /// A value of the old column as the new one holds it, and back.
    private func toNew(_ value: String) -> String { newType.map { "\(value)::\($0)" } ?? value }
    private func toOld(_ value: String) -> String { newType != nil ? carried.map { "\(value)::\($0.type)" } ?? value : value }
    private func alter(_ command: String) -> String { "ALTER TABLE \(qualifiedTable) \(command);" }
    private func index(_ name: String) -> String { flavor.quote(QualifiedName(schema: table.schema, name)) }

    /// The expand migration: new column, sync trigger, NOT VALID constraints, backfill, validations.
    var expand: String {
        let addColumn: String
        if let carried {
            let collation = newType == nil ? carried.collation.map { " COLLATE " + flavor.quote($0) } ?? "" : ""
            addColumn = alter("ADD COLUMN \(new) \(newType ?? carried.type)\(collation)")
                + (carried.comment.map { "\nCOMMENT ON COLUMN \(qualifiedTable).\(new) IS \(flavor.literal($0));" } ?? "")
        } else if let newType {
            addColumn = alter("ADD COLUMN \(new) \(newType)")
        } else {
            addColumn = """
                -- The new column takes the old one's type, read from the catalog when the migration runs.
                DO $strata$
                BEGIN
                    EXECUTE format('ALTER TABLE \(qualifiedTable.replacingQuotes) ADD COLUMN \(new.replacingQuotes) %s',
                        (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                         WHERE attrelid = '\(qualifiedTable.replacingQuotes)'::regclass AND attname = '\(oldColumn.replacingQuotes)'));
                END
                $strata$;
                """
        }
        let checks = (carriesNotNull ? [(flavor.quote(notNullCheck), "CHECK (\(new) IS NOT NULL)")] : [])
            + constraints.map { (flavor.quote($0.temporaryName), $0.definition) }
        let added = checks.map { alter("ADD CONSTRAINT \($0.0) \($0.1) NOT VALID") + "\n" }.joined()
        let validated = checks.isEmpty ? "" : "\n" + checks.map { alter("VALIDATE CONSTRAINT \($0.0)") + "\n" }.joined()
        return """
            -- Expand: \(table).\(oldColumn) is replaced by \(newColumn)\(newType.map { " (\($0))" } ?? ""). Until the contract migration, a trigger
            -- copies every write of either column to the other, so application versions that use either one keep working.
            \(carriedNotes)
            \(addColumn)

            CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $strata$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    IF NEW.\(new) IS NULL THEN
                        NEW.\(new) := \(toNew("NEW.\(old)"));
                    ELSE
                        -- Only the new version writes \(newColumn): its value wins over \(oldColumn)'s default.
                        NEW.\(old) := \(toOld("NEW.\(new)"));
                    END IF;
                ELSIF NEW.\(old) IS DISTINCT FROM OLD.\(old) THEN
                    NEW.\(new) := \(toNew("NEW.\(old)"));
                ELSIF NEW.\(new) IS DISTINCT FROM OLD.\(new) THEN
            \(copyBack)
                ELSIF NEW.\(new) IS NULL AND NEW.\(old) IS NOT NULL THEN
                    -- A row the backfill has not reached yet, updated in its other columns.
                    NEW.\(new) := \(toNew("NEW.\(old)"));
                END IF;
                RETURN NEW;
            END
            $strata$;

            CREATE TRIGGER \(trigger) BEFORE INSERT OR UPDATE ON \(qualifiedTable)
                FOR EACH ROW EXECUTE FUNCTION \(function)();
            \(added.isEmpty ? "" : "\n" + added)
            -- strata:backfill
            UPDATE \(qualifiedTable) SET \(new) = \(toNew(old)) WHERE \(new) IS NULL AND \(old) IS NOT NULL;
            \(validated)
            """
    }

    /// The new column's value copied to the old one in an UPDATE; after a type change, not when
    /// it is the old value's own image (the backfill's write), which the cast back could alter ('007' → 7 → '7').
    private var copyBack: String {
        let assignment = "NEW.\(old) := \(toOld("NEW.\(new)"));"
        guard newType != nil else { return "        " + assignment }
        return """
                    IF NEW.\(new) IS DISTINCT FROM \(toNew("NEW.\(old)")) THEN
                        \(assignment)
                    END IF;
            """
    }

    /// Statements that fail where a restated definition does not fit the new type: run on a
    /// scratch database before the files are written, in a transaction rolled back, each with
    /// what it tries. Empty for a rename, whose definitions fit by construction.
    public var trial: [(what: String, sql: String)] {
        guard let carried, let newType else { return [] }
        var steps = [("the column \(newColumn) \(newType)", alter("ADD COLUMN \(new) \(newType)"))]
        for restated in carried.restated {
            switch restated.kind {
            case .constraint: steps.append(("the constraint \(restated.name)", alter("ADD CONSTRAINT \(flavor.quote(restated.temporaryName)) \(restated.definition) NOT VALID")))
            case .index, .unique: steps.append(("the index \(restated.name)", restated.definition))
            }
        }
        if let value = carried.defaultValue { steps.append(("the default \(value)", alter("ALTER COLUMN \(new) SET DEFAULT \(value)"))) }
        return steps
    }

    /// What the expand file says about the old column's definition: what the new one carries and where, or why nothing.
    private var carriedNotes: String {
        guard let carried else {
            return """
                -- Not carried: \(oldColumn)'s default, NOT NULL, CHECK constraints, foreign keys and indexes, because \(notCarriedBecause).
                -- Give \(newColumn) those it needs in migrations of their own (a default only after the contract: set during the
                -- expand, it would stop the trigger from copying an old-version insert into \(newColumn)).

                """
        }
        var lines = ["\(newColumn) carries \(oldColumn)'s definition as \(carried.source) has it:"]
        if !carried.nullable {
            lines.append("  NOT NULL: enforced now by the CHECK \(notNullCheck) (NOT VALID, validated after the backfill); the contract sets NOT NULL without a scan.")
        }
        for constraint in constraints {
            lines.append("  \(constraint.name): restated as \(constraint.temporaryName), validated after the backfill; the contract gives it its name.")
        }
        if !indexes.isEmpty {
            lines.append("  indexes \(indexes.map(\.name).joined(separator: ", ")): built concurrently by the next migration.")
        }
        if let value = carried.defaultValue {
            lines.append("  DEFAULT \(value): set by the contract; set now, it would stop the trigger from copying an old-version insert.")
        }
        if lines.count == 1 { lines.append("  no default, NOT NULL, constraint or index to carry.") }
        return lines.map { "-- " + $0 + "\n" }.joined()
    }

    private var expandUndo: String {
        """
        -- Undoes the expand: \(newColumn) goes, with its constraints and indexes.
        DROP TRIGGER IF EXISTS \(trigger) ON \(qualifiedTable);
        DROP FUNCTION IF EXISTS \(function)();
        \(alter("DROP COLUMN IF EXISTS \(new)"))

        """
    }

    /// The second expand migration: the old column's indexes rebuilt on the new one.
    var indexBuilds: String {
        let builds = indexes.map { restated in
            let name = flavor.quote(restated.temporaryName)
            let build = restated.definition.replacing("INDEX \(name) ON", with: "INDEX CONCURRENTLY \(name) ON")
            return "DROP INDEX CONCURRENTLY IF EXISTS \(index(restated.temporaryName));\n\(build)\n"
        }.joined()
        return """
            -- Expand, continued: \(table).\(oldColumn)'s indexes rebuilt on \(newColumn) while writes go on. Each build runs concurrently,
            -- outside a transaction; the DROP before it removes what a failed earlier run left, so after a failure the file can run again.
            \(builds)
            """
    }

    private var indexUndo: String {
        indexes.map { "DROP INDEX CONCURRENTLY IF EXISTS \(index($0.temporaryName));\n" }.joined()
    }

    /// The contract migration: trigger and old column dropped, the new column finished.
    var contract: String {
        // One statement, so that SET NOT NULL still finds the validated CHECK and skips its scan
        // (PostgreSQL 12+), and that a safe rewrite leaves it as written.
        let switchOver = (["DROP COLUMN \(old)"] + (carried?.defaultValue.map { ["ALTER COLUMN \(new) SET DEFAULT \($0)"] } ?? [])
            + (carriesNotNull ? ["ALTER COLUMN \(new) SET NOT NULL"] : [])).joined(separator: ",\n    ")
        var finish = carriesNotNull ? [alter("DROP CONSTRAINT \(flavor.quote(notNullCheck))")] : []
        for restated in carried?.restated ?? [] {
            let name = flavor.quote(restated.name), temporary = flavor.quote(restated.temporaryName)
            switch restated.kind {
            case .constraint: finish.append(alter("RENAME CONSTRAINT \(temporary) TO \(name)"))
            case .index: finish.append("ALTER INDEX \(index(restated.temporaryName)) RENAME TO \(name);")
            case .unique(let deferrable): finish.append(alter("ADD CONSTRAINT \(name) UNIQUE USING INDEX \(temporary)\(DefinitionSQL(flavor: flavor).deferrable(deferrable))"))
            }
        }
        let views = carried?.views ?? []
        let viewNote = views.isEmpty ? "" : """
            -- The views \(views.map(\.description).joined(separator: ", ")) read \(oldColumn): recreate them on \(newColumn) before this runs
            -- (the DROP COLUMN fails while they depend on it).

            """
        return """
            -- strata:phase=contract
            -- Contract: no running application version uses \(table).\(oldColumn) any more; \(newColumn) replaces it.
            \(viewNote)DROP TRIGGER \(trigger) ON \(qualifiedTable);
            DROP FUNCTION \(function)();
            -- \(oldColumn)'s constraints and indexes go with it\(carried == nil ? "" : "; \(newColumn) takes their names below").
            \(alter(switchOver))
            \(finish.map { $0 + "\n" }.joined())
            """
    }
}

private extension String {
    /// The text with `'` doubled, for use inside a string literal.
    var replacingQuotes: String { split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") }
}
