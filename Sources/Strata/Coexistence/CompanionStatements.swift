/// The other tools' own SQL for their tables, per engine: created with their exact DDL, so
/// the table is the one they would have made, and written the way they write it.
struct CompanionStatements: Sendable {
    let table: TableName
    let dialect: any SQLDialect

    private var isPostgres: Bool { dialect is PostgresDialect }
    private var name: String { dialect.qualified(table) }

    /// golang-migrate's `ensureVersionTable` and dbmate 2.37's `CreateMigrationsTable`.
    func create(_ tool: CompanionHistory) -> [String] {
        switch (tool, isPostgres) {
        case (.golangMigrate, true):
            ["CREATE TABLE IF NOT EXISTS \(name) (version bigint not null primary key, dirty boolean not null)"]
        case (.golangMigrate, false):
            ["CREATE TABLE IF NOT EXISTS \(name) (version uint64,dirty bool)",
             "CREATE UNIQUE INDEX IF NOT EXISTS \(table.schema.map { dialect.quote($0) + "." } ?? "")version_unique ON \(dialect.quote(table.name)) (version)"]
        case (.dbmate, true):
            ["create table if not exists \(name) (version varchar primary key)"]
        case (.dbmate, false):
            ["CREATE TABLE IF NOT EXISTS \(name) (version varchar(128) primary key)"]
        }
    }

    /// The table's column names, to tell golang-migrate's table from dbmate's.
    var columns: SQLStatement {
        isPostgres
            ? SQLStatement("SELECT column_name::text FROM information_schema.columns WHERE table_schema = coalesce($1, current_schema()) AND table_name = $2 ORDER BY ordinal_position",
                           [table.schema.map { .text($0) } ?? .null, .text(table.name)])
            : SQLStatement("SELECT name FROM pragma_table_info(?1\(table.schema == nil ? "" : ", ?2"))",
                           [.text(table.name)] + (table.schema.map { [.text($0)] } ?? []))
    }

    /// golang-migrate reads its first row only.
    var readGolangMigrate: String { "SELECT version, dirty FROM \(name) LIMIT 1" }
    var readDbmate: String { "SELECT version FROM \(name) ORDER BY version" }

    /// golang-migrate's `SetVersion`: the table emptied, then its one row, in one transaction.
    func statements(for write: CompanionWrite) -> [SQLStatement] {
        switch write {
        case .setGolangMigrate(let row):
            [SQLStatement("DELETE FROM \(name)")] + (row.map {
                [SQLStatement("INSERT INTO \(name) (version, dirty) VALUES (\(dialect.parameter(1)), \(dialect.parameter(2)))",
                              [.integer($0.version), .bool($0.dirty)])]
            } ?? [])
        case .insertDbmate(let version):
            [SQLStatement("INSERT INTO \(name) (version) VALUES (\(dialect.parameter(1)))", [.text(version)])]
        case .deleteDbmate(let version):
            [SQLStatement("DELETE FROM \(name) WHERE version = \(dialect.parameter(1))", [.text(version)])]
        }
    }
}
