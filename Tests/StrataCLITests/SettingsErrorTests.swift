import Strata
import StrataTestSupport
import Testing
@testable import StrataCLI

/// A value that cannot be used is an error naming the key, the value, where it came from
/// (`strata.toml:LINE`, a flag or a `STRATA_*` variable), what is allowed and what to do.
@Suite struct SettingsErrorTests {
    let folder = TemporaryFolder()
    var file: String { folder.file("strata.toml") }

    private func settings(_ toml: String, flags: [String: TOMLDocument.Value] = [:], variables: [String: String] = [:]) throws -> Settings {
        folder.write("strata.toml", toml)
        return try Settings(flags: flags, flagPlaceholders: [:], configPath: file, environmentName: nil, variables: variables)
    }

    @Test func aLockSettingFromTheFileNamesItsKeyValueLineAndRange() throws {
        let error = #expect(throws: InvalidSetting.self) { try settings("url = \"sqlite:a.db\"\nlock_timeout = 0\n").lockRetryPolicy() }
        #expect(error?.description == "lock_timeout = 0 (\(file):2) cannot be used: it must be a whole number of milliseconds "
            + "from 1 to 2147483647. Change it at \(file):2.")
    }

    @Test func theMaximumLockTimeoutNamesTheTimeoutItMustReach() throws {
        let error = #expect(throws: InvalidSetting.self) { try settings("lock_timeout = 300\nlock_timeout_max = 100\n").lockRetryPolicy() }
        #expect(error?.key == "lock_timeout_max" && error?.value == "100" && error?.source == "\(file):2")
        #expect(error?.allowed == "a whole number of milliseconds from lock_timeout (300, \(file):1) to 2147483647")
    }

    @Test(arguments: [
        ("lock_retries = -1\n", "lock_retries", "-1", "a whole number, 0 or more"),
        ("statement_timeout = 0\n", "statement_timeout", "0", "a whole number of milliseconds from 1 to 2147483647"),
        ("blocker_wait = -0.5\n", "blocker_wait", "-0.5", "a number of seconds from 0 to 1000000000"),
        ("blocker_wait = inf\n", "blocker_wait", "inf", "a number of seconds from 0 to 1000000000"),
        ("lock_timeout = 3000000000\n", "lock_timeout", "3000000000", "a whole number of milliseconds from 1 to 2147483647"),
    ])
    func eachLockSettingIsCheckedOnItsOwn(toml: String, key: String, value: String, allowed: String) throws {
        let error = #expect(throws: InvalidSetting.self) { try settings(toml).lockRetryPolicy() }
        #expect(error?.key == key && error?.value == value && error?.source == "\(file):1" && error?.allowed == allowed)
    }

    @Test func aWaitTooLongForMillisecondsIsRefusedNotACrash() throws {
        let error = #expect(throws: InvalidSetting.self) { try settings("lock_wait = 1e300\n").configuration() }
        #expect(error?.key == "lock_wait" && error?.allowed == "a number of seconds from 0 to 1000000000")
        #expect(throws: InvalidSetting.self) { try settings("", variables: ["STRATA_BLOCKER_WAIT": "nan"]).lockRetryPolicy() }
    }

    @Test(arguments: [
        ("backfill_batch_ms = 0\n", "backfill_batch_ms", "a whole number of milliseconds from 1 to 2147483647"),
        ("backfill_pause = -0.1\n", "backfill_pause", "a fraction of a batch's time from 0 to 1000"),
        ("backfill_max_replica_lag_ms = -1\n", "backfill_max_replica_lag_ms",
         "a whole number of milliseconds from 0 (do not watch replicas) to 2147483647"),
        ("backfill_max_busy_sessions = -2\n", "backfill_max_busy_sessions", "a whole number of sessions, 0 (do not watch the application) or more"),
    ])
    func eachBackfillSettingNamesItself(toml: String, key: String, allowed: String) throws {
        let error = #expect(throws: InvalidSetting.self) { try settings(toml).backfillSettings() }
        #expect(error?.key == key && error?.source == "\(file):1" && error?.allowed == allowed)
    }

    @Test func aMisspelledVariableIsAnErrorAndOtherStrataVariablesAreLeftAlone() throws {
        let error = #expect(throws: ConfigurationError.self) { try settings("", variables: ["STRATA_BACKFIL_PAUSE": "0.5"]) }
        #expect(error?.description == "The environment variable STRATA_BACKFIL_PAUSE is not a Strata setting (did you mean STRATA_BACKFILL_PAUSE?), "
            + "so it would be ignored; rename it to STRATA_BACKFILL_PAUSE, or unset it.")
        #expect(throws: ConfigurationError.self) { try settings("", variables: ["STRATA_ENVIROMENT": "dev"]) }
        let unrelated = try settings("", variables: ["STRATA_BIN": "/usr/bin/strata", "STRATA_TEST_UNSET_VARIABLE": "x", "STRATA_LOCK_TIMEOUT": "300"])
        #expect(unrelated.source(of: "lock_timeout") == "STRATA_LOCK_TIMEOUT")
    }

    @Test func aFlagOrAVariableIsNamedWithWhatToDoAboutIt() throws {
        let flag = #expect(throws: InvalidSetting.self) { try settings("", flags: ["lock_retries": .integer(-2)]).lockRetryPolicy() }
        #expect(flag?.description == "lock_retries = -2 (--lock-retries) cannot be used: it must be a whole number, 0 or more. "
            + "Give --lock-retries another value.")
        let variable = #expect(throws: InvalidSetting.self) {
            try settings("", variables: ["STRATA_STATEMENT_TIMEOUT": "0"]).lockRetryPolicy()
        }
        #expect(variable?.description == "statement_timeout = 0 (environment variable STRATA_STATEMENT_TIMEOUT) cannot be used: it must be "
            + "a whole number of milliseconds from 1 to 2147483647. Change STRATA_STATEMENT_TIMEOUT, or unset it.")
        let text = #expect(throws: InvalidSetting.self) { try settings("", variables: ["STRATA_LOCK_TIMEOUT": "soon"]) }
        #expect(text?.description == "lock_timeout = 'soon' (environment variable STRATA_LOCK_TIMEOUT) cannot be used: it must be "
            + "a whole number. Change STRATA_LOCK_TIMEOUT, or unset it.")
    }

    @Test func aChoiceListsTheNamesAndTheOneATypoMeant() throws {
        let format = #expect(throws: InvalidSetting.self) { try settings("format = \"flyaway\"\n").layout() }
        #expect(format?.description == "format = 'flyaway' (\(file):1) cannot be used: it must be one of flyway, golang-migrate, dbmate "
            + "(did you mean `flyway`?). Change it at \(file):1.")
        let history = #expect(throws: InvalidSetting.self) { try settings("history = \"liquibase\"\n").companionHistory() }
        #expect(history?.allowed == "one of strata, golang-migrate, dbmate")
        #expect(try settings("history = \"strata\"\n").companionHistory() == nil)
        let log = #expect(throws: InvalidSetting.self) {
            let _: GlobalOptions.LogFormat? = try settings("log_format = \"jsonl\"\n").choice("log_format")
        }
        #expect(log?.allowed == "one of text, json (did you mean `json`?)")
    }

    @Test func tablesUrlsAndLabelsNameTheirSourceAndHideThePassword() throws {
        let table = #expect(throws: InvalidSetting.self) { try settings("table = \"a.b.c\"\n").configuration() }
        #expect(table?.key == "table" && table?.source == "\(file):1")
        let url = #expect(throws: InvalidSetting.self) { try settings("url = \"mysql://app:s3cret@db/shop\"\n").databaseURL() }
        #expect(url?.value == "'mysql://app:***@db/shop'" && url?.source == "\(file):1")
        #expect(url.map { !$0.description.contains("s3cret") } == true)
        let labels = #expect(throws: InvalidSetting.self) { try settings("changelog = \"c.xml\"\nlabels = \"v1 and\"\n").configuration() }
        #expect(labels?.key == "labels" && labels?.value == "'v1 and'" && labels?.source == "\(file):2")
        #expect(labels?.allowed.hasPrefix("a label expression such as 'v1 and !beta' (") == true)
    }

    @Test func aPlaceholderFlagWithoutANameHidesItsValue() throws {
        let nameless = #expect(throws: ConfigurationError.self) { try SourceOptions.placeholderValues(["=s3cret"]) }
        #expect(nameless.map { !$0.message.contains("s3cret") && $0.message.contains("NAME=VALUE") } == true)
        let valueless = #expect(throws: ConfigurationError.self) { try SourceOptions.placeholderValues(["owner"]) }
        #expect(valueless?.message == "-p 'owner' gives no value: write -p owner=VALUE.")
    }

    @Test func aMistypedEnvironmentIsSuggested() throws {
        folder.write("strata.toml", "[environments.production]\nurl = \"sqlite:a.db\"\n")
        let error = try #require(throws: (any Error).self) {
            try Settings(flags: [:], flagPlaceholders: [:], configPath: file, environmentName: "prodution", variables: [:])
        }
        #expect("\(error)".contains("(it has: production) (did you mean `production`?)"), "\(error)")
    }

    @Test(arguments: [
        "url = postgresql://app:s3cret@db/shop\n",
        "password = s3cret\n",
        "password = \"s3cret\" s3cret\n",
        "password = 5\n",
        "url = [\"postgresql://app:s3cret@db/shop\"]\n",
        "[environments.prod]\npassword = [\"s3cret\"]\n",
    ])
    func noConfigurationErrorShowsAPassword(toml: String) throws {
        let error = try #require(throws: (any Error).self) { try settings(toml).configuration() }
        #expect(!"\(error)".contains("s3cret") && !"\(error)".contains("5 ("), "\(error)")
    }
}

@Suite struct SuggestionTests {
    @Test func aTypoFindsTheNameItMeantAndAStrangerFindsNone() {
        let keys = Settings.keys.keys
        #expect(Suggestion.closest(to: "lock-timeout", among: keys) == "lock_timeout")
        #expect(Suggestion.closest(to: "LOCK_TIMEOUT_MAX", among: keys) == "lock_timeout_max")
        #expect(Suggestion.closest(to: "locaton", among: keys) == "locations")
        #expect(Suggestion.closest(to: "colour", among: keys) == nil)
        #expect(Suggestion.closest(to: "x", among: keys) == nil)
        #expect(Suggestion.didYouMean("shemas", among: keys) == " (did you mean `schemas`?)")
    }
}
