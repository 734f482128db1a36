import Strata

/// `strata info --json`: `{"migrations":[…]}`, one object per line of the table.
struct InfoReport: Encodable {
    struct Entry: Encodable {
        let version: String?
        let description: String
        let type: String
        let script: String
        let checksum: Int32?
        let state: String
        let installedRank: Int?
        let installedOn: String?
        let executionTimeMs: Int?
        let undoable: Bool

        enum CodingKeys: String, CodingKey {
            case version, description, type, script, checksum, state, installedRank, installedOn, executionTimeMs, undoable
        }

        /// Absent values are written as null, not left out, so every object has every key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(description, forKey: .description)
            try container.encode(type, forKey: .type)
            try container.encode(script, forKey: .script)
            try container.encode(checksum, forKey: .checksum)
            try container.encode(state, forKey: .state)
            try container.encode(installedRank, forKey: .installedRank)
            try container.encode(installedOn, forKey: .installedOn)
            try container.encode(executionTimeMs, forKey: .executionTimeMs)
            try container.encode(undoable, forKey: .undoable)
        }
    }

    let migrations: [Entry]
    /// Another tool's history, when Strata's own is absent; left out otherwise.
    let foreignHistory: AdoptionReport?

    init(_ plan: Plan, foreignHistory: AdoptionReport? = nil) {
        self.foreignHistory = foreignHistory
        migrations = plan.infos.map { info in
            Entry(
                version: info.version?.text, description: info.description, type: info.type.rawValue,
                script: info.script, checksum: info.checksum, state: info.state.rawValue,
                installedRank: info.applied?.installedRank, installedOn: info.applied?.installedOn,
                executionTimeMs: info.applied?.executionTime, undoable: info.undoable)
        }
    }

    static let tableHeader = ["Version", "Description", "Type", "Installed on", "Time", "State", "Undo"]

    /// The cells of one line of the table.
    static func tableRow(_ info: MigrationInfo) -> [String] {
        [
            MigrationLabels.version(info.version), MigrationLabels.description(info.description, of: info.applied), info.type.rawValue,
            info.applied?.installedOn ?? "", info.applied.map { MigrationLabels.duration($0.executionTime) } ?? "",
            info.state.rawValue, info.undoable ? "yes" : "",
        ]
    }

    /// Prints the table, a row at a time (see ``TextTable/print(header:rows:)``).
    static func printTable(_ plan: Plan) {
        TextTable.print(header: tableHeader, rows: plan.infos.lazy.map(tableRow))
    }
}
