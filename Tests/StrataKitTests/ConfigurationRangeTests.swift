import Foundation
import Strata
import StrataKit
import StrataTestSupport
import Testing

/// A configuration built in code is checked as `strata.toml` is, when a database is opened and
/// before anything runs.
@Suite struct ConfigurationRangeTests {
    let folder = TemporaryFolder()

    private func configuration(_ change: (inout StrataConfiguration) -> Void) -> StrataConfiguration {
        folder.write("migrations/V1__people.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY);\n")
        var configuration = StrataConfiguration(url: "sqlite:" + folder.file("app.db"), locations: [folder.file("migrations")])
        change(&configuration)
        return configuration
    }

    @Test func aNumberOutOfItsBoundsIsRefusedNamingThePropertyBeforeAnythingRuns() throws {
        let cases: [(String, (inout StrataConfiguration) -> Void)] = [
            ("lockRetry.lockTimeoutMilliseconds = 0 cannot be used: it must be from 1 to 2147483647.", { $0.lockRetry.lockTimeoutMilliseconds = 0 }),
            ("lockRetry.retries = -1 cannot be used: it must be 0 or more.", { $0.lockRetry.retries = -1 }),
            ("lockRetry.statementTimeoutMilliseconds = 4294967296 cannot be used", { $0.lockRetry.statementTimeoutMilliseconds = 1 << 32 }),
            ("backfill.batchMilliseconds = -50 cannot be used", { $0.backfill.batchMilliseconds = -50 }),
            ("backfill.maximumBatchSize = 0 cannot be used", { $0.backfill.maximumBatchSize = 0 }),
            ("backfill.maximumBusySessions = 0 cannot be used: it must be 1 or more.", { $0.backfill.maximumBusySessions = 0 }),
            ("backfill.pauseFraction = nan cannot be used: it must be a fraction of a batch's time from 0 to 1000.", { $0.backfill.pauseFraction = .nan }),
            ("lockWait = -1.0 seconds cannot be used", { $0.lockWait = .seconds(-1) }),
        ]
        for (message, change) in cases {
            let error = #expect(throws: ConfigurationError.self) { try configuration(change).makeMigrator().migrate() }
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("app.db")), "nothing was opened")
        #expect(try configuration { $0.backfill.maximumReplicaLagMilliseconds = nil }.makeMigrator().migrate().applied.count == 1)
    }
}
