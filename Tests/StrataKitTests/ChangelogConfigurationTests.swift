import Strata
import StrataKit
import StrataLiquibaseRunner
import StrataTestSupport
import Testing

@Suite struct ChangelogConfigurationTests {
    /// README: a run waits for Liquibase's lock "up to `lock_wait`, 5 minutes by default".
    @Test func theLiquibaseLockWaitIsLockWaitOrFiveMinutes() throws {
        let folder = TemporaryFolder()
        let path = folder.write("changelog.sql", "--liquibase formatted sql\n--changeset ann:1\nCREATE TABLE t (x INTEGER);\n")
        var configuration = StrataConfiguration(url: "sqlite:" + folder.file("app.db"))
        configuration.changelog = ChangelogSettings(path: path)
        #expect(try configuration.makeChangeLogRunner().options.liquibaseLockWait == .seconds(300))
        configuration.lockWait = .seconds(7)
        #expect(try configuration.makeChangeLogRunner().options.liquibaseLockWait == .seconds(7))
    }
}
