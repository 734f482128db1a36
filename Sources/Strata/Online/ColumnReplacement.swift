/// A column renamed, or given a new type, without downtime: the expand and contract migrations
/// `strata new --rename-column` and `--change-type` write (PostgreSQL).
///
/// Expand adds the new column, a trigger that copies every write of either column to the other
/// (so the application version that knows only the old column and the one that knows only the
/// new one both work), and a batched backfill of the rows written before. Contract, once no
/// running version uses the old column, drops the trigger and the old column.
package struct ColumnReplacement: Sendable {
    package let table: TableName
    package let oldColumn: String
    package let newColumn: String
    /// The new column's type; nil keeps the old column's (a rename).
    package let newType: String?

    /// Reads `table.old:new` (a rename) or `table.old:new:type` (`schema.table` works too).
    package init(parsing text: String, requiringType: Bool) throws(ConfigurationError) {
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        let path = parts.first?.split(separator: ".").map(String.init) ?? []
        let usage = requiringType ? "table.column:new_column:type, such as accounts.amount:amount_cents:bigint" : "table.column:new_column, such as people.name:full_name"
        guard parts.count == (requiringType ? 3 : 2), (2...3).contains(path.count), !parts[1].isEmpty, !(parts.count == 3 && parts[2].isEmpty) else {
            throw ConfigurationError("'\(text)' does not name a column and its replacement: write \(usage).")
        }
        table = TableName(schema: path.count == 3 ? path[0] : nil, name: path[path.count - 2])
        oldColumn = path[path.count - 1]
        newColumn = parts[1]
        newType = parts.count == 3 ? parts[2] : nil
        guard oldColumn != newColumn else { throw ConfigurationError("'\(text)' replaces a column with itself; give the new column another name.") }
    }

    private let dialect = PostgresDialect()
    private var qualifiedTable: String { dialect.qualified(table) }
    private var old: String { dialect.quote(oldColumn) }
    private var new: String { dialect.quote(newColumn) }
    private var trigger: String { dialect.quote("strata_sync_\(oldColumn)_\(newColumn)") }
    private var function: String {
        dialect.qualified(TableName(schema: table.schema, name: "strata_sync_\(table.name)_\(oldColumn)_\(newColumn)"))
    }

    /// The expand migration: new column, sync trigger, backfill.
    package var expand: String {
        let addColumn = newType.map { "ALTER TABLE \(qualifiedTable) ADD COLUMN \(new) \($0);" } ?? """
            -- The new column takes the old one's type, read from the catalog when the migration runs.
            DO $strata$
            BEGIN
                EXECUTE format('ALTER TABLE \(qualifiedTable.replacingQuotes) ADD COLUMN \(new.replacingQuotes) %s',
                    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                     WHERE attrelid = '\(qualifiedTable.replacingQuotes)'::regclass AND attname = '\(oldColumn.replacingQuotes)'));
            END
            $strata$;
            """
        let value = newType.map { "\(old)::\($0)" } ?? old
        return """
            -- Expand: \(table).\(oldColumn) is replaced by \(newColumn)\(newType.map { " (\($0))" } ?? ""). Until the contract migration, a trigger
            -- copies every write of either column to the other, so application versions that use either one keep working.
            -- Give \(newColumn) the old column's defaults, constraints and indexes in a migration of its own if it needs them.
            \(addColumn)

            CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $strata$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    IF NEW.\(new) IS NULL THEN
                        NEW.\(new) := NEW.\(old);
                    ELSIF NEW.\(old) IS NULL THEN
                        NEW.\(old) := NEW.\(new);
                    END IF;
                ELSIF NEW.\(old) IS DISTINCT FROM OLD.\(old) THEN
                    NEW.\(new) := NEW.\(old);
                ELSIF NEW.\(new) IS DISTINCT FROM OLD.\(new) THEN
                    NEW.\(old) := NEW.\(new);
                END IF;
                RETURN NEW;
            END
            $strata$;

            CREATE TRIGGER \(trigger) BEFORE INSERT OR UPDATE ON \(qualifiedTable)
                FOR EACH ROW EXECUTE FUNCTION \(function)();

            -- strata:backfill
            UPDATE \(qualifiedTable) SET \(new) = \(value) WHERE \(new) IS NULL AND \(old) IS NOT NULL;

            """
    }

    /// The contract migration: trigger and old column dropped.
    package var contract: String {
        """
        -- strata:phase=contract
        -- Contract: no running application version uses \(table).\(oldColumn) any more; \(newColumn) replaces it.
        DROP TRIGGER \(trigger) ON \(qualifiedTable);
        DROP FUNCTION \(function)();
        ALTER TABLE \(qualifiedTable) DROP COLUMN \(old);

        """
    }
}

private extension String {
    /// The text with `'` doubled, for use inside a string literal.
    var replacingQuotes: String { split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") }
}
