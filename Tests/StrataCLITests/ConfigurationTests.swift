import Strata
import StrataTestSupport
import Testing
import Strata
@testable import StrataCLI

@Suite struct TOMLTests {
    @Test func parsesTheSubsetConfigurationsUse() throws {
        let document = try TOMLDocument(parsing: """
            # a comment
            url = "sqlite:app.db"   # trailing comment
            locations = ["a", 'b']
            lock_timeout = 1_000
            lock_wait = 2.5
            allow_clean = false
            [environments."my env".placeholders]
            owner = "it's \\"quoted\\""
            """)
        #expect(document.entries.map(\.key) == ["url", "locations", "lock_timeout", "lock_wait", "allow_clean", "owner"])
        #expect(document.entries[1].value == .array([.string("a"), .string("b")]))
        #expect(document.entries[2].value == .integer(1000))
        #expect(document.entries[3].value == .float(2.5))
        #expect(document.entries[5].table == ["environments", "my env", "placeholders"])
        #expect(document.entries[5].value == .string("it's \"quoted\""))
        #expect(document.entries[5].line == 8)
    }

    @Test(arguments: [("url = ", 1), ("x = \"open", 1), ("\n[table", 2), ("a = b", 1), ("a = [1, 2", 1), ("a = 1 2", 1), ("= 3", 1), ("a = 1\n[t]\na = 2\n[t]\na = 3", 5)])
    func errorsNameTheirLine(text: String, line: Int) {
        #expect(throws: TOMLDocument.ParseError.self) { try TOMLDocument(parsing: text) }
        do { _ = try TOMLDocument(parsing: text) } catch { #expect(error.line == line) }
    }
}

@Suite struct SettingsTests {
    let folder = TemporaryFolder()

    private func settings(_ toml: String, flags: [String: TOMLDocument.Value] = [:], environment: String? = nil,
                          variables: [String: String] = [:]) throws -> Settings {
        let path = folder.write("strata.toml", toml)
        return try Settings(flags: flags, flagPlaceholders: [:], configPath: path, environmentName: environment, variables: variables)
    }

    @Test func changelogFlagsWithoutAChangelogAreRefusedNotDropped() throws {
        for (key, value, flag) in [("contexts", TOMLDocument.Value.array([.string("test")]), "--contexts"),
                                   ("labels", .string("v1"), "--labels"), ("skip_custom_changes", .bool(true), "--skip-custom-changes")] {
            let error = #expect(throws: ConfigurationError.self) { try settings("", flags: [key: value]).configuration() }
            #expect(error?.message.contains("\(flag) applies to a Liquibase changelog") == true)
            let withChangelog = try settings("", flags: [key: value, "changelog": .string("c.xml")]).configuration()
            #expect(withChangelog.changelog?.path == "c.xml")
        }
        #expect(try settings("contexts = \"test\"\n").configuration().changelog == nil, "strata.toml may share contexts with changelog-less environments")
    }

    @Test func flagsBeatVariablesBeatTheEnvironmentSectionBeatsTheTopLevel() throws {
        let toml = "url = \"sqlite:top.db\"\ntable = \"top_history\"\nlock_timeout = 300\n[environments.dev]\nurl = \"sqlite:dev.db\"\nlock_timeout = 400\n"
        let fileOnly = try settings(toml, environment: "dev")
        #expect(fileOnly.string("url") == "sqlite:dev.db")
        #expect(fileOnly.values["url"]?.source.hasSuffix("strata.toml:5") == true)
        #expect(fileOnly.string("table") == "top_history")
        #expect(fileOnly.integer("lock_timeout") == 400)
        let withVariable = try settings(toml, environment: "dev", variables: ["STRATA_URL": "sqlite:env.db", "STRATA_LOCK_TIMEOUT": "500"])
        #expect(withVariable.string("url") == "sqlite:env.db" && withVariable.values["url"]?.source == "STRATA_URL")
        #expect(withVariable.integer("lock_timeout") == 500)
        let withFlag = try settings(toml, flags: ["url": .string("sqlite:flag.db")], environment: "dev", variables: ["STRATA_URL": "sqlite:env.db"])
        #expect(withFlag.string("url") == "sqlite:flag.db" && withFlag.values["url"]?.source == "--url")
        let chosenByVariable = try settings(toml, variables: ["STRATA_ENVIRONMENT": "dev"])
        #expect(chosenByVariable.string("url") == "sqlite:dev.db")
        #expect(try settings("").string("url") == "sqlite:strata.db")
    }

    @Test func safetyPerEnvironmentAndTheLockPolicyWithoutEscalation() throws {
        let toml = "[environments.prod]\nurl = \"postgresql://db/app\"\nsafety = \"strict\"\n[environments.raw]\nsafety = \"off\"\n"
        #expect(try settings(toml).configuration().safety == nil, "unset: the database's default")
        #expect(try settings(toml, environment: "prod").configuration().safety == .strict)
        #expect(try settings(toml, environment: "raw").configuration().safety == .off)
        #expect(Safety.defaultValue(for: .postgres(conninfo: "")) == .rewrite && Safety.defaultValue(for: .sqlite(path: "x")) == .off)
        #expect(throws: InvalidSetting.self) { try settings("safety = \"sometimes\"\n").configuration() }
        let policy = try settings("lock_timeout = 300\nblocker_wait = 2.5\n").lockRetryPolicy()
        #expect(policy.maximumLockTimeoutMilliseconds == 300 && policy.blockerWaitMilliseconds == 2_500)
        #expect(try settings("lock_timeout = 300\nlock_timeout_max = 1200\n").lockRetryPolicy().maximumLockTimeoutMilliseconds == 1_200)
    }

    @Test func theDefaultsTheReadmeStates() throws {
        let policy = try settings("").lockRetryPolicy()
        #expect(policy.lockTimeoutMilliseconds == 200 && policy.maximumLockTimeoutMilliseconds == 200, "--lock-timeout (200), never growing")
        #expect(policy.retries == 20 && policy.blockerWaitMilliseconds == 60_000 && policy.statementTimeoutMilliseconds == nil)
        let backfill = try settings("").backfillSettings()
        #expect(backfill.batchMilliseconds == 50 && backfill.pauseFraction == 0.1 && backfill.maximumReplicaLagMilliseconds == 5_000)
        #expect(try settings("backfill_max_replica_lag_ms = 0\n").backfillSettings().maximumReplicaLagMilliseconds == nil, "0 turns it off")
        #expect(try settings("backfill_max_replica_lag_ms = 250\n").backfillSettings().maximumReplicaLagMilliseconds == 250)
        #expect(backfill.maximumBusySessions == nil)
        #expect(try settings("backfill_max_busy_sessions = 0\n").backfillSettings().maximumBusySessions == nil, "0 is off, as unset")
        #expect(try settings("backfill_max_busy_sessions = 12\n").backfillSettings().maximumBusySessions == 12)
    }

    @Test func placeholdersAndVariables() throws {
        let toml = "[placeholders]\nowner = \"${env.OWNER}\"\n[environments.prod.placeholders]\nowner = \"prod_owner\"\n"
        #expect(try settings(toml, variables: ["OWNER": "me"]).placeholders["owner"]?.value == "me")
        #expect(try settings(toml, environment: "prod", variables: ["OWNER": "me"]).placeholders["owner"]?.value == "prod_owner")
    }

    @Test(arguments: [
        ("colour = \"blue\"\n", "strata.toml:1: colour: unknown key"),
        ("\nlock_timeout = \"soon\"\n", "lock_timeout = 'soon' (PATH:2) cannot be used: it must be a whole number, not a string. Change it at PATH:2."),
        ("url = \"sqlite:${env.STRATA_TEST_UNSET_VARIABLE}\"\n", "strata.toml:1: url: the environment variable STRATA_TEST_UNSET_VARIABLE is not set"),
        ("[servers]\nx = 1\n", "strata.toml:2: servers.x: unknown table [servers]"),
        ("allow_clean = \"yes\"\n", "allow_clean = 'yes' (PATH:1) cannot be used: it must be true or false"),
        ("url = \n", "strata.toml:1: "),
        ("[environments.dev]\nlock_timout = 5\n", "strata.toml:2: environments.dev.lock_timout: unknown key (did you mean `lock_timeout`?); the keys are "),
        ("[enviroments.dev]\nurl = \"sqlite:a.db\"\n", "strata.toml:2: enviroments.dev.url: unknown table [enviroments.dev] (did you mean [environments.dev]?)"),
        ("[lint]\nseverity.drop-table = \"info\"\n", "strata.toml:2: lint.severity.drop-table: a rule's severity is \"error\" or \"warning\", not \"info\"."),
        ("[lint]\ndisabled = []\n", "strata.toml:2: lint.disabled: unknown key (did you mean `disable`?)"),
        ("[lint]\ndisable = [\"drop-tabel\"]\n", "strata.toml:2: lint.disable: `drop-tabel` is not a lint rule (did you mean `drop-table`?)"),
        ("[environments.dev]\nlock_timeout = \"soon\"\n", "lock_timeout = 'soon' (PATH:2) cannot be used: it must be a whole number, not a string."),
        ("locations = [\"db\", \"\"]\n", "locations = ['db', ''] (PATH:1) cannot be used: it must be an array of non-empty strings, "
            + "or one comma-separated string, not an array holding an empty string."),
        ("schemas = [\"app\", 2]\n", "schemas = ['app', 2] (PATH:1) cannot be used: it must be an array of non-empty strings, "
            + "or one comma-separated string, not an array holding an integer."),
        ("lock_timeout = 100\nurl = \"sqlite:a.db\"\nlock_timeout = 200\n", "strata.toml:3: `lock_timeout` is set twice (first on line 1); keep one."),
    ])
    func everyConfigurationErrorNamesTheFileTheLineAndTheKey(toml: String, message: String) throws {
        let error = try #require(throws: (any Error).self) { try settings(toml) }
        #expect("\(error)".contains(message.replacing("PATH", with: folder.file("strata.toml"))), "\(error)")
    }

    @Test func unknownEnvironmentsAreErrors() throws {
        let error = try #require(throws: (any Error).self) { try settings("[environments.dev]\nurl = \"sqlite:a.db\"\n", environment: "prod") }
        #expect("\(error)".contains("no [environments.prod] section (it has: dev)"))
    }

    @Test func theReportMasksSecrets() throws {
        let report = try settings("url = \"postgresql://app:s3cret@db/shop\"\npassword = \"hunter2\"\n").report
        let text = report.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        #expect(!text.contains("s3cret") && !text.contains("hunter2"))
        #expect(text.contains("password=***"))
        #expect(text.contains("url=postgresql://app:***@db/shop"))
    }
}

/// `safety` and `[environments.NAME.lint]`: what `strata migrate` does about lint findings.
@Suite struct SafetySettingsTests {
    let folder = TemporaryFolder()

    private func settings(_ toml: String, environment: String? = nil) throws -> Settings {
        let path = folder.write("strata.toml", toml)
        return try Settings(flags: [:], flagPlaceholders: [:], configPath: path, environmentName: environment, variables: [:])
    }

    @Test func safetyDefaultsByEngineAndRefusesUnknownLevels() throws {
        let none = try settings("")
        #expect(try none.safety(for: DatabaseURL(parsing: "postgresql://localhost/app")) == .rewrite)
        #expect(try none.safety(for: DatabaseURL(parsing: "sqlite:app.db")) == .off)
        let strict = try settings("safety = \"off\"\n[environments.prod]\nsafety = \"strict\"\n", environment: "prod")
        #expect(try strict.safety(for: DatabaseURL(parsing: "sqlite:app.db")) == .strict)
        let wrong = try settings("safety = \"careful\"\n")
        let error = #expect(throws: InvalidSetting.self) { try wrong.safety(for: DatabaseURL(parsing: "sqlite:app.db")) }
        #expect(error?.description == "safety = 'careful' (\(folder.path)/strata.toml:1) cannot be used: it must be one of off, rewrite, strict. "
            + "Change it at \(folder.path)/strata.toml:1.")
    }

    @Test func anEnvironmentsLintOverridesTheTopLevelOne() throws {
        let toml = """
            [lint]
            disable = ["prefer-text"]
            severity.drop-table = "warning"
            severity.truncate = "warning"
            [environments.prod.lint]
            disable = []
            [environments.prod.lint.severity]
            truncate = "error"
            [environments.dev.lint]
            severity.rename-table = "warning"
            """
        let top = try settings(toml)
        #expect(top.lint.disabled == ["prefer-text"] && top.lint.severities == ["drop-table": .warning, "truncate": .warning])
        let prod = try settings(toml, environment: "prod")
        #expect(prod.lint.disabled.isEmpty, "an environment's disable list replaces the top-level one")
        #expect(prod.lint.severities == ["drop-table": .warning, "truncate": .error])
        let dev = try settings(toml, environment: "dev")
        #expect(dev.lint.disabled == ["prefer-text"], "without its own list the top-level one stays")
        #expect(dev.lint.severities["rename-table"] == .warning && dev.lint.severities["drop-table"] == .warning)
        #expect(throws: ConfigurationError.self) { try settings("[environments.prod.lint]\ndisable = [\"nope\"]\n") }
    }
}
