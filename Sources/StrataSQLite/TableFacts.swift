import Strata

/// What SQLite's pragmas report for every table of `main`, read in four queries (one per
/// pragma, joined to `sqlite_schema` as table-valued functions) and grouped by table.
struct TableFacts {
    struct ColumnRow {
        let name: String
        let type: String
        let notNull: Bool
        let defaultValue: String?
        /// 1-based position in the primary key; 0 when not part of it.
        let primaryKeyPosition: Int
    }

    struct ForeignKeyRow {
        var table: String
        var columns: [String]
        /// Nil when the clause names no columns: the referenced table's primary key.
        var referencedColumns: [String]?
        var onUpdate: String
        var onDelete: String
    }

    struct IndexRow {
        let name: String
        let unique: Bool
        /// `c` for `CREATE INDEX`, `u` for a UNIQUE constraint, `pk` for the primary key.
        let origin: String
    }

    struct IndexKeyRow {
        let name: String
        /// SQLite reports an expression key with column number -2.
        let isExpression: Bool
        let descending: Bool
    }

    private(set) var columns: [String: [ColumnRow]] = [:]
    private(set) var foreignKeys: [String: [ForeignKeyRow]] = [:]
    private(set) var indexes: [String: [IndexRow]] = [:]
    private(set) var indexKeys: [String: [IndexKeyRow]] = [:]

    /// The ordinary tables of `main` (`m`), joined with the pragma functions in `joins`.
    private static func tables(joinedWith joins: String) -> String {
        "main.sqlite_schema AS m, \(joins) WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table')"
    }

    init(database: SQLiteDatabase) throws {
        for row in try database.query(
            "SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk FROM \(Self.tables(joinedWith: "pragma_table_xinfo(m.name, 'main') AS c")) ORDER BY m.name, c.cid", []) {
            columns[row[0].string!, default: []].append(ColumnRow(
                name: row[1].string!, type: row[2].string ?? "", notNull: row[3].bool ?? false, defaultValue: row[4].string,
                primaryKeyPosition: row[5].int ?? 0))
        }
        for row in try database.query(
            "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete FROM \(Self.tables(joinedWith: "pragma_foreign_key_list(m.name, 'main') AS f")) ORDER BY m.name, f.id, f.seq", []) {
            let table = row[0].string!
            let id = row[1].int!
            var keys = foreignKeys[table, default: []]
            if keys.count <= id {
                keys.append(ForeignKeyRow(table: row[2].string!, columns: [], referencedColumns: row[4].string == nil ? nil : [],
                                          onUpdate: row[5].string!, onDelete: row[6].string!))
            }
            keys[id].columns.append(row[3].string!)
            if let referenced = row[4].string { keys[id].referencedColumns?.append(referenced) }
            foreignKeys[table] = keys
        }
        for row in try database.query(
            "SELECT m.name, l.name, l.\"unique\", l.origin FROM \(Self.tables(joinedWith: "pragma_index_list(m.name, 'main') AS l")) ORDER BY m.name, l.name", []) {
            indexes[row[0].string!, default: []].append(IndexRow(name: row[1].string!, unique: row[2].bool ?? false, origin: row[3].string!))
        }
        for row in try database.query(
            "SELECT l.name, x.cid, x.name, x.\"desc\" FROM \(Self.tables(joinedWith: "pragma_index_list(m.name, 'main') AS l, pragma_index_xinfo(l.name, 'main') AS x")) AND x.key = 1 ORDER BY l.name, x.seqno", []) {
            indexKeys[row[0].string!, default: []].append(IndexKeyRow(
                name: row[2].string ?? "", isExpression: row[1].int == -2, descending: row[3].bool ?? false))
        }
    }

    /// The primary key columns of `table`, which a `REFERENCES table` without columns means.
    func primaryKey(of table: String) -> [String] {
        let rows = columns.first { $0.key.lowercased() == table.lowercased() }?.value ?? []
        return rows.filter { $0.primaryKeyPosition > 0 }.sorted { $0.primaryKeyPosition < $1.primaryKeyPosition }.map(\.name)
    }
}
