import Foundation
import StrataTestSupport
import Testing

/// A setting that cannot be used, through the built binary: one paragraph on standard error
/// naming the key, the value, where it came from and what to do; exit 2, and nothing run.
@Suite struct SettingsCommandLineTests {
    let project = TemporaryFolder()

    private func strata(_ arguments: String..., environment: [String: String] = [:]) throws -> StrataBinary.Result {
        try StrataBinary.run(arguments, in: project.path, environment: environment)
    }

    /// The error, checked to be one paragraph and a usage error that left no database behind.
    private func refusal(_ arguments: String..., environment: [String: String] = [:]) throws -> String {
        let result = try StrataBinary.run(arguments, in: project.path, environment: environment)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.file("strata.db")))
        return result.stderr
    }

    @Test func aLockSettingInStrataTomlNamesItsKeyValueLineAndWhatToDo() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        project.write("strata.toml", "lock_timeout = 300\nlock_timeout_max = 100\n")
        let error = try refusal("migrate")
        #expect(error == "error: lock_timeout_max = 100 (strata.toml:2) cannot be used: it must be a whole number of milliseconds from "
            + "lock_timeout (300, strata.toml:1) to 2147483647. Change it at strata.toml:2.\n", "\(error)")
    }

    @Test func aFlagOrAVariableIsNamedAsSuch() throws {
        project.write("migrations/V1__one.sql", "CREATE TABLE one (id INT);\n")
        #expect(try refusal("migrate", "--lock-timeout", "0").contains("lock_timeout = 0 (--lock-timeout) cannot be used: it must be "
            + "a whole number of milliseconds from 1 to 2147483647. Give --lock-timeout another value."))
        #expect(try refusal("migrate", environment: ["STRATA_LOCK_RETRIES": "many"]).contains(
            "lock_retries = 'many' (environment variable STRATA_LOCK_RETRIES) cannot be used: it must be a whole number. "
                + "Change STRATA_LOCK_RETRIES, or unset it."))
        #expect(try refusal("info", environment: ["STRATA_FORMAT": "flyaway"]).contains("(did you mean `flyway`?)"))
    }

    @Test func aMisspeltKeyInAnEnvironmentIsAnErrorWithASuggestion() throws {
        project.write("strata.toml", "url = \"sqlite:strata.db\"\n[environments.prod]\nlock_timout = 5\n")
        #expect(try refusal("info", "--environment", "prod").contains(
            "strata.toml:3: environments.prod.lock_timout: unknown key (did you mean `lock_timeout`?); the keys are "))
    }

    @Test func noConfigurationErrorPrintsAPassword() throws {
        for toml in ["url = postgresql://app:s3cret@db/shop\n", "url = \"mysql://app:s3cret@db/shop\"\n", "password = 12345\n",
                     "password = s3cret\n"] {
            project.write("strata.toml", toml)
            let error = try refusal("info")
            #expect(!error.contains("s3cret") && !error.contains("12345"), "\(error)")
        }
        project.write("strata.toml", "url = \"mysql://app:s3cret@db/shop\"\n")
        #expect(try refusal("info").contains("url = 'mysql://app:***@db/shop' (strata.toml:1) cannot be used"))
    }
}
