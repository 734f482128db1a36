import Strata
import Testing

/// What Flyway's own tests assert about its generic fixtures, as scenarios every engine must
/// pass. Each engine's suite calls them with its own way to open a fresh, empty database.
public struct GenericFixtureScenarios {
    let fixtures: ConformanceFixtures
    let openDatabase: () throws -> any Database

    public init(fixtures: ConformanceFixtures, openDatabase: @escaping () throws -> any Database) {
        self.fixtures = fixtures
        self.openDatabase = openDatabase
    }

    private func migrator(_ dirs: [String], on database: any Database) throws -> Migrator {
        Migrator(database: database, catalog: try LocationReader.read(locations: dirs.map(fixtures.path)))
    }

    private func value(_ database: any Database, _ sql: String) throws -> SQLValue? {
        try database.query(sql, []).first?.first
    }

    /// Every generic folder (and the engine's own, named by `dialect`) applies, its checks hold,
    /// and a second migrate applies nothing.
    public func setsApplyAndTheirChecksHold(dialect: String) throws {
        var applied = 0
        for set in fixtures.records("sets") {
            guard let setDialect = set["dialect"] as? String, ["generic", dialect].contains(setDialect),
                  let dir = set["dir"] as? String, dir.hasPrefix("flyway-"),
                  !["flyway-e948f52/failed", "flyway-e948f52/outoforder", "flyway-e948f52/missing"].contains(dir),
                  setDialect == "generic" || dialect == "sqlite"
            else { continue }
            let database = try openDatabase()
            let migrator = try migrator([dir], on: database)
            let report = try migrator.migrate()
            #expect(report.applied.count == (set["order"] as? [String] ?? []).count, "\(dir)")
            let upstream = set["upstream"] as? [String: Any] ?? [:]
            for check in upstream["afterApply"] as? [[String: Any]] ?? [] {
                let result = try value(database, check["query"] as! String)
                if let number = check["equals"] as? Int {
                    #expect(result?.int == number, "\(dir): \(check["query"]!)")
                } else {
                    #expect(result?.string == check["equals"] as? String, "\(dir): \(check["query"]!)")
                }
            }
            #expect(try migrator.migrate().applied.isEmpty, "\(dir): a second migrate applies nothing")
            applied += 1
        }
        #expect(applied >= 7)
    }

    public func targetsFollowFlyway() throws {
        let migrator = try migrator(["flyway-e948f52/sql"], on: try openDatabase())
        func migrate(to target: String) throws -> MigrateReport {
            try migrator.migrate(MigrateOptions(plan: PlanOptions(target: MigrationTarget(target)!)))
        }
        #expect(try migrate(to: "1.1").currentVersion?.text == "1.1")
        #expect(try migrator.info().infos.filter { $0.state == .pending }.count == 2)
        let report = try migrate(to: "1.2")
        #expect(report.currentVersion?.text == "1.2")
        #expect(report.applied.last?.step.migration.description == "Populate table")
        #expect(try migrate(to: "1.0").applied.isEmpty)
        #expect(try migrator.info().currentVersion?.text == "1.2")
    }

    public func lateArrivalIsIgnoredThenAppliedOutOfOrder() throws {
        let database = try openDatabase()
        try migrator(["flyway-e948f52/sql"], on: database).migrate()
        let combined = try migrator(["flyway-e948f52/sql", "flyway-e948f52/outoforder"], on: database)
        let info = try combined.info().infos
        #expect(info.count == 5)
        #expect(info[2].version?.text == "1.1.1" && info[2].state == .ignored)
        #expect(try combined.migrate().applied.isEmpty)
        let report = try combined.migrate(MigrateOptions(plan: PlanOptions(outOfOrder: true)))
        #expect(report.applied.count == 1)
        #expect(report.currentVersion?.text == "2.0")
        #expect(try combined.info().infos[2].state == .outOfOrder)
    }

    public func missingFilesFailValidation() throws {
        let database = try openDatabase()
        try migrator(["flyway-e948f52/sql"], on: database).migrate()
        let partial = try migrator(["flyway-e948f52/missing"], on: database)
        #expect(try partial.info().infos[1].state == .missing)
        #expect(throws: ValidationFailedError.self) { try partial.migrate() }
    }

    public func failingStatementRollsTheMigrationBack() throws {
        let file = "flyway-e948f52/failed/V1__Should_Fail.sql"
        let sql = try fixtures.text(file).replacingOccurrences(of: "${tableName}", with: "before_the_error")
        let migration = Migration(kind: .versioned, version: "1", description: "Should Fail", script: "V1__Should_Fail.sql", sql: sql)
        let migrator = Migrator(database: try openDatabase(), catalog: try Catalog([migration]))
        let error = try #require(throws: MigrationFailedError.self) { try migrator.migrate() }
        #expect(error.failure.line == 21)
        #expect(error.failure.statement == "THIS IS NOT VALID SQL")
        #expect(try migrator.database.tableExists(TableName(schema: nil, name: "before_the_error")) == false)
        #expect(try migrator.info().currentVersion == nil)
        #expect(try migrator.history.read().isEmpty)
    }
}
