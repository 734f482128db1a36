import Strata

/// Another tool's history as `info` and `adopt` show it: what was found, and the rows
/// `strata adopt` records (or why it would not).
struct AdoptionReport: Encodable {
    struct Row: Encodable {
        let version: String?
        let description: String
        let type: String
        let script: String
        let checksum: Int32?
    }

    let tool: String
    let found: String
    let rows: [Row]
    let refused: String?

    /// - Parameter outcome: the adoption decided, or the error that refuses it.
    init(found: ForeignHistory, outcome: Result<Adoption, CoexistenceError>) {
        tool = found.toolName
        self.found = Self.describe(found)
        switch outcome {
        case .success(let adoption):
            rows = adoption.rows.map {
                Row(version: $0.version?.text, description: $0.description, type: $0.type.rawValue, script: $0.script, checksum: $0.checksum)
            }
            refused = nil
        case .failure(let error):
            rows = []
            refused = error.description
        }
    }

    private static func describe(_ found: ForeignHistory) -> String {
        switch found {
        case .golangMigrate(nil): "golang-migrate's schema_migrations, with no version"
        case .golangMigrate(let row?): "golang-migrate's schema_migrations at version \(row.version)\(row.dirty ? " (dirty)" : "")"
        case .dbmate(let versions): "dbmate's schema_migrations listing \(versions.count) version\(versions.count == 1 ? "" : "s")"
        case .flyway(let table): "Flyway's history table \(table)"
        }
    }

    /// The paragraph and table people read; `verb` says whether the rows would be or were recorded.
    func text(verb: String) -> String {
        if let refused { return "Found \(found).\n\(refused)" }
        guard !rows.isEmpty else { return "Found \(found); there is nothing to adopt." }
        var table = TextTable("Version", "Description", "Type", "Script")
        for row in rows { table.add([row.version ?? "", row.description, row.type, row.script]) }
        return "Found \(found); \(verb) \(rows.count) row\(rows.count == 1 ? "" : "s") in Strata's history:\n" + table.rendered
    }
}

extension Migrator {
    /// The other tool's history this database holds and what adopting it records; nil when
    /// there is none.
    func adoptionReport() throws -> AdoptionReport? {
        guard let found = try foreignHistory() else { return nil }
        do {
            return AdoptionReport(found: found, outcome: .success(try adoption(of: found)))
        } catch let error as CoexistenceError {
            return AdoptionReport(found: found, outcome: .failure(error))
        }
    }
}
