import Testing
@testable import Strata

/// The decisions about another tool's history, without a database: what to adopt, what its
/// table holds around each step, and the SQL its tool would use.
@Suite struct CoexistenceTests {
    let v1 = Build.versioned("1"), v2 = Build.versioned("2"), v3 = Build.versioned("3")
    var catalog: Catalog { Build.catalog(v1, v2, v3, Build.undo("2"), Build.undo("3")) }

    private func step(_ migration: Migration, reason: PlannedStep.Reason = .pending) -> PlannedStep {
        PlannedStep(migration: migration, type: .of(migration), reason: reason)
    }

    @Test func golangMigrateIsAdoptedUpToItsVersionWithTheFilesChecksums() throws {
        let adoption = try Adoption.decide(found: .golangMigrate(GolangMigrateRow(version: 2, dirty: false)), catalog: catalog, history: [])
        #expect(adoption.rows.map(\.version) == [v1.version, v2.version])
        #expect(adoption.rows.map(\.checksum) == [v1.checksum, v2.checksum])
        #expect(adoption.rows.allSatisfy { $0.type == .sql && $0.success })
        // golang-migrate ahead of Strata: only the versions in between; at the same version, nothing.
        #expect(try Adoption.decide(found: .golangMigrate(GolangMigrateRow(version: 3, dirty: false)), catalog: catalog,
                                    history: [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)]).rows.map(\.version) == [v3.version])
        #expect(try Adoption.decide(found: .golangMigrate(GolangMigrateRow(version: 2, dirty: false)), catalog: catalog,
                                    history: [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)]).rows.isEmpty)
    }

    @Test func aGolangMigrateVersionWithoutAFileBecomesABaseline() throws {
        let adoption = try Adoption.decide(found: .golangMigrate(GolangMigrateRow(version: 7, dirty: false)), catalog: catalog, history: [])
        #expect(adoption.rows.map(\.type) == [.sql, .sql, .sql, .baseline])
        #expect(adoption.rows.last?.version == MigrationVersion("7"))
        let history = adoption.rows.enumerated().map { HistoryEntry($1, rank: $0 + 1, installedBy: "t") }
        #expect(Planner.plan(catalog: catalog, history: history).currentVersion == MigrationVersion("7"))
    }

    @Test func dirtyOrRolledBackGolangMigrateIsRefused() {
        #expect(throws: CoexistenceError.dirty(version: 2)) {
            try Adoption.decide(found: .golangMigrate(GolangMigrateRow(version: 2, dirty: true)), catalog: catalog, history: [])
        }
        #expect("\(CoexistenceError.dirty(version: 2))".contains("migrate force 2"))
        #expect(throws: CoexistenceError.golangMigrateBehind(version: 1, strataVersion: "2")) {
            try Adoption.decide(found: .golangMigrate(GolangMigrateRow(version: 1, dirty: false)), catalog: catalog,
                                history: [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)])
        }
        #expect(throws: CoexistenceError.flywayTable(TableName(schema: nil, name: "flyway_schema_history"))) {
            try Adoption.decide(found: .flyway(TableName(schema: nil, name: "flyway_schema_history")), catalog: catalog, history: [])
        }
    }

    @Test func dbmateVersionsAreAdoptedOneByOneInVersionOrder() throws {
        let adoption = try Adoption.decide(found: .dbmate(versions: ["3", "1", "9"]), catalog: catalog, history: [])
        #expect(adoption.rows.map(\.version?.text) == ["1", "3", "9"])
        #expect(adoption.rows.map(\.checksum) == [v1.checksum, v3.checksum, nil])
        #expect(adoption.rows.last?.description == Adoption.orphanDescription)
        #expect(throws: CoexistenceError.dbmateLacks(versions: ["2"])) {
            try Adoption.decide(found: .dbmate(versions: ["1"]), catalog: catalog, history: [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)])
        }
        #expect(throws: CoexistenceError.notAVersion("x1")) { try Adoption.decide(found: .dbmate(versions: ["x1"]), catalog: catalog, history: []) }
    }

    @Test func aMissingOrEmptyTableIsFilledFromStrataHistory() throws {
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)]
        let created = try Coexistence.reconcile(.golangMigrate, found: nil, catalog: catalog, history: history)
        #expect(created == .init(adoption: nil, createsTable: true, writes: [.setGolangMigrate(GolangMigrateRow(version: 2, dirty: false))]))
        let dbmate = try Coexistence.reconcile(.dbmate, found: .dbmate(versions: []), catalog: catalog, history: history)
        #expect(dbmate == .init(adoption: nil, createsTable: false, writes: [.insertDbmate("1"), .insertDbmate("2")]))
        #expect(try Coexistence.reconcile(.golangMigrate, found: nil, catalog: catalog, history: []).writes.isEmpty)
        #expect(throws: CoexistenceError.self) { try Coexistence.reconcile(.dbmate, found: .golangMigrate(nil), catalog: catalog, history: []) }
    }

    @Test func golangMigrateRowFollowsEachStep() throws {
        let history = [Build.applied(v1, rank: 1), Build.applied(v2, rank: 2)]
        let apply = step(v3)
        let after = Coexistence.versionAfter(apply, catalog: catalog, history: history)
        #expect(after == v3.version)
        #expect(try Coexistence.effects(of: apply, tool: .golangMigrate, mode: .transactional, versionAfter: after)
            == CompanionStep(beforeRun: nil, withStep: [.setGolangMigrate(GolangMigrateRow(version: 3, dirty: false))]))
        #expect(try Coexistence.effects(of: apply, tool: .golangMigrate, mode: .nonTransactional, versionAfter: after)
            == CompanionStep(beforeRun: .setGolangMigrate(GolangMigrateRow(version: 3, dirty: true)),
                             withStep: [.setGolangMigrate(GolangMigrateRow(version: 3, dirty: false))]))

        let undo = step(Build.undo("2"), reason: .undo)
        #expect(Coexistence.versionAfter(undo, catalog: catalog, history: history) == v1.version)
        let undoFirst = step(Build.undo("2"), reason: .undo)
        let onlyOne = [Build.applied(v2, rank: 1)]
        #expect(Coexistence.versionAfter(undoFirst, catalog: catalog, history: onlyOne) == nil)
        // The last version undone outside a transaction: golang-migrate's -1 while it runs, then no row.
        #expect(try Coexistence.effects(of: undoFirst, tool: .golangMigrate, mode: .nonTransactional, versionAfter: nil)
            == CompanionStep(beforeRun: .setGolangMigrate(GolangMigrateRow(version: -1, dirty: true)), withStep: [.setGolangMigrate(nil)]))
        #expect(throws: CoexistenceError.notAWholeNumber(MigrationVersion("1.1")!)) {
            try Coexistence.effects(of: step(Build.versioned("1.1")), tool: .golangMigrate, mode: .transactional, versionAfter: MigrationVersion("1.1"))
        }
    }

    @Test func dbmateGainsAndLosesOneVersionPerStep() throws {
        #expect(try Coexistence.effects(of: step(v3), tool: .dbmate, mode: .nonTransactional, versionAfter: nil)
            == CompanionStep(beforeRun: nil, withStep: [.insertDbmate("3")]))
        #expect(try Coexistence.effects(of: step(Build.undo("3"), reason: .undo), tool: .dbmate, mode: .transactional, versionAfter: nil)
            == CompanionStep(beforeRun: nil, withStep: [.deleteDbmate("3")]))
        #expect(try Coexistence.effects(of: step(Build.repeatable("views")), tool: .dbmate, mode: .transactional, versionAfter: nil).withStep.isEmpty)
    }

    @Test func eachToolsOwnDDL() {
        let table = TableName(schema: nil, name: "schema_migrations")
        let postgres = CompanionStatements(table: TableName(schema: "app", name: "schema_migrations"), dialect: PostgresDialect())
        #expect(postgres.create(.golangMigrate) == [#"CREATE TABLE IF NOT EXISTS "app"."schema_migrations" (version bigint not null primary key, dirty boolean not null)"#])
        #expect(postgres.create(.dbmate) == [#"create table if not exists "app"."schema_migrations" (version varchar primary key)"#])
        let sqlite = CompanionStatements(table: table, dialect: SQLiteDialect())
        #expect(sqlite.create(.golangMigrate) == [#"CREATE TABLE IF NOT EXISTS "schema_migrations" (version uint64,dirty bool)"#,
                                                  #"CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON "schema_migrations" (version)"#])
        #expect(sqlite.create(.dbmate) == [#"CREATE TABLE IF NOT EXISTS "schema_migrations" (version varchar(128) primary key)"#])
        #expect(sqlite.statements(for: .setGolangMigrate(nil)).map(\.sql) == [#"DELETE FROM "schema_migrations""#])
        #expect(sqlite.statements(for: .setGolangMigrate(GolangMigrateRow(version: 4, dirty: true))).last
            == SQLStatement(#"INSERT INTO "schema_migrations" (version, dirty) VALUES (?1, ?2)"#, [.integer(4), .bool(true)]))
    }
}
