import Strata
import StrataKit
import StrataLint
import StrataTestSupport
import Testing
@testable import StrataCLI

/// The migrations `migrate` lints before it runs are read one at a time as the lint reaches
/// them; one that changed since the catalog was read is still refused by name, as every other
/// read of a migration's SQL refuses it, not skipped.
@Suite struct LintInputsTests {
    @Test func aPendingFileChangedSinceTheCatalogWasReadIsRefusedByName() throws {
        let folder = TemporaryFolder()
        let changed = folder.write("m/V1__first.sql", "CREATE TABLE a (id int);\n")
        folder.write("m/V2__second.sql", "CREATE TABLE b (id int);\n")
        let migrator = try StrataConfiguration(url: "sqlite:" + folder.file("app.db"), locations: [folder.file("m")]).makeMigrator(create: false)
        let inputs = try LintInputs.pending(try migrator.info(), of: migrator, at: .sqlite(path: folder.file("app.db")))
        #expect(inputs.reportedCount == 2)
        folder.write("m/V1__first.sql", "DROP TABLE a;\n")
        let error = #expect(throws: CatalogError.self) { try inputs.lint(with: Linter()) }
        #expect(error?.description.contains(changed) == true && error?.description.contains("the file changed after Strata read it") == true,
                "\(String(describing: error))")
    }
}
