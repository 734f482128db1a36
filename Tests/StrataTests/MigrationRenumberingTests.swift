import Strata
import Testing

/// `strata rebase`'s decision: which local migrations move above main's highest version, and
/// to which names.
@Suite struct MigrationRenumberingTests {
    private let now = "20261130120000"

    private func renames(
        _ layout: MigrationLayout, local: [String], main: [String], timestamp: String = "20261130120000"
    ) throws -> [String] {
        let plan = try MigrationRenumbering(
            folders: [.init(path: "migrations", layout: layout, files: local)],
            main: MainBranchMigrations(files: [(layout, main)]), timestamp: timestamp)
        return plan.renames.map { "\($0.from) -> \($0.to)" }
    }

    @Test func aCollisionWithMainMovesTheBranchsMigrationAndItsUndoAbove() throws {
        let local = ["V1__a.sql", "V2__b.sql", "V3__a.sql", "U3__a.sql", "V3__b.sql", "R__views.sql"]
        let main = ["migrations/V1__a.sql", "migrations/V2__b.sql", "migrations/V3__b.sql", "migrations/R__views.sql"]
        #expect(try renames(.flyway, local: local, main: main) == ["V3__a.sql -> V4__a.sql", "U3__a.sql -> U4__a.sql"])
    }

    @Test func versionsMainHasPassedMoveInTheirOrderAndPushTheBranchsLaterOnes() throws {
        let local = ["V1__a.sql", "V2__x.sql", "V2_5__y.sql", "V4__z.sql", "V9__w.sql", "V5__main.sql", "V3__main.sql"]
        let main = ["V1__a.sql", "V3__main.sql", "V5__main.sql"]
        #expect(try renames(.flyway, local: local, main: main) == [
            "V2__x.sql -> V6__x.sql", "V2_5__y.sql -> V7__y.sql", "V4__z.sql -> V8__z.sql",
        ], "V9 stays: it is above every new version")
        #expect(try renames(.flyway, local: ["V1__a.sql", "V3__x.sql", "V4__y.sql"], main: ["V1__a.sql", "V3__m.sql"])
                == ["V3__x.sql -> V4__x.sql", "V4__y.sql -> V5__y.sql"])
    }

    @Test func nothingToDoWhenTheBranchIsAlreadyAboveMain() throws {
        #expect(try renames(.flyway, local: ["V1__a.sql", "V2__b.sql", "V3__c.sql"], main: ["V1__a.sql", "V2__b.sql"]).isEmpty)
        #expect(try renames(.flyway, local: ["V1__a.sql"], main: []).isEmpty)
        #expect(try renames(.flyway, local: ["V1__a.sql", "U1__a.sql"], main: ["V1__a.sql"]).isEmpty,
                "an undo added for main's migration stays with it")
    }

    @Test func golangMigratePairsMoveTogetherAtTheFoldersWidth() throws {
        let local = ["000001_a.up.sql", "000001_a.down.sql", "000002_b.up.sql", "000002_b.down.sql",
                     "000002_c.up.sql", "000002_c.down.sql"]
        let main = ["db/000001_a.up.sql", "db/000001_a.down.sql", "db/000002_c.up.sql", "db/000002_c.down.sql"]
        #expect(try renames(.golangMigrate, local: local, main: main) == [
            "000002_b.up.sql -> 000003_b.up.sql", "000002_b.down.sql -> 000003_b.down.sql",
        ])
        #expect(try renames(.golangMigrate, local: ["9_a.up.sql", "9_b.up.sql", "10_c.up.sql"], main: ["9_a.up.sql", "10_c.up.sql"])
                == ["9_b.up.sql -> 11_b.up.sql"])
    }

    @Test func timestampsTakeNowOrOneAboveMain() throws {
        let main = ["20260101000000_a.sql", "20260301000000_b.sql"]
        #expect(try renames(.dbmate, local: main + ["20260201000000_c.sql", "20260202000000_d.sql"], main: main)
                == ["20260201000000_c.sql -> 20261130120000_c.sql", "20260202000000_d.sql -> 20261130120001_d.sql"])
        #expect(try renames(.dbmate, local: main + ["20260201000000_c.sql"], main: main, timestamp: "20250101000000")
                == ["20260201000000_c.sql -> 20260301000001_c.sql"], "a clock behind main's files still goes above them")
        #expect(try renames(.golangMigrate, local: ["20260101000000_a.up.sql", "20251201000000_b.up.sql"], main: ["20260101000000_a.up.sql"])
                == ["20251201000000_b.up.sql -> 20261130120000_b.up.sql"])
    }

    @Test func subfoldersAndSeveralLocationsKeepTheirPlaces() throws {
        let plan = try MigrationRenumbering(
            folders: [.init(path: "a", layout: .flyway, files: ["V1__x.sql", "V2__main.sql"]),
                      .init(path: "b", layout: .flyway, files: ["deep/V2__y.sql", "deep/U2__y.sql"])],
            main: MainBranchMigrations(files: [(.flyway, ["a/V1__x.sql", "a/V2__main.sql"]), (.flyway, [])]), timestamp: now)
        #expect(plan.renames.map { "\($0.folder)/\($0.from) -> \($0.to)" } == ["b/deep/V2__y.sql -> deep/V3__y.sql", "b/deep/U2__y.sql -> deep/U3__y.sql"])
        #expect(plan.renames.first?.version == MigrationVersion("2") && plan.renames.first?.newVersion == "3")
    }

    @Test func versionsGivenByHandDecideByVersionAndRefuseWhenTwoFilesShareOne() throws {
        let folder = MigrationRenumbering.Folder(path: "m", layout: .flyway, files: ["V1__a.sql", "V2__b.sql", "V1_5__c.sql"])
        let plan = try MigrationRenumbering(folders: [folder], main: MainBranchMigrations(versions: ["1", "2"].compactMap(MigrationVersion.init)), timestamp: now)
        #expect(plan.renames.map(\.to) == ["V3__c.sql"])

        let clash = MigrationRenumbering.Folder(path: "m", layout: .flyway, files: ["V1__a.sql", "V2__b.sql", "V2__c.sql"])
        #expect(throws: RenumberingError.ambiguous(version: MigrationVersion("2")!, paths: ["m/V2__b.sql", "m/V2__c.sql"])) {
            try MigrationRenumbering(folders: [clash], main: MainBranchMigrations(versions: ["1", "2"].compactMap(MigrationVersion.init)), timestamp: now)
        }
    }

    @Test func aNewNameThatAnotherFileHoldsIsRefused() throws {
        #expect(throws: RenumberingError.nameTaken(from: "migrations/U2__a.sql", to: "migrations/U3__a.sql")) {
            try renames(.flyway, local: ["V1__m.sql", "V2__m.sql", "V2__a.sql", "U2__a.sql", "U3__a.sql"], main: ["V1__m.sql", "V2__m.sql"])
        }
    }
}
