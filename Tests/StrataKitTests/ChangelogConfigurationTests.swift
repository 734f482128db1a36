import Foundation
import Strata
import StrataKit
import StrataLiquibase
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

@Suite struct ChangelogLabelsTests {
    /// A label expression that does not parse is a configuration error naming the labels, before any database is opened.
    @Test func badLabelsAreAConfigurationErrorNamingThem() throws {
        let folder = TemporaryFolder()
        let path = folder.write("changelog.sql", "--liquibase formatted sql\n--changeset ann:1\nCREATE TABLE t (x INTEGER);\n")
        var configuration = StrataConfiguration(url: "sqlite:" + folder.file("app.db"))
        configuration.changelog = ChangelogSettings(path: path, labels: "v1 and")
        let error = #expect(throws: ConfigurationError.self) { try configuration.makeChangeLogRunner() }
        #expect(error?.message.hasPrefix("The changelog's labels 'v1 and' are not a label expression: ") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: folder.file("app.db")))
        configuration.changelog?.labels = "v1 and !beta"
        #expect(try configuration.makeChangeLogRunner().options.labels == LabelExpression(parsing: "v1 and !beta"))
    }
}
