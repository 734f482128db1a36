#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataKit
import StrataLiquibase

/// One setting's value and where it came from, for `strata config` and for error messages.
struct Sourced<Value> {
    let value: Value
    let source: String
}

/// Every setting a command uses, resolved from (strongest first) command-line flags, `STRATA_*`
/// environment variables, the chosen `[environments.NAME]` section of `strata.toml`, its top
/// level, and the defaults.
struct Settings {
    /// The settings and their types; the keys of `strata.toml` and, upper-cased, of `STRATA_*`.
    enum Kind {
        case string, list, integer, number, boolean

        /// What a value of this kind is, completing "it must be …".
        var expected: String {
            switch self {
            case .string: "a string"
            case .list: "an array of non-empty strings, or one comma-separated string"
            case .integer: "a whole number"
            case .number: "a number"
            case .boolean: "true or false"
            }
        }
    }
    static let keys: [String: Kind] = [
        "url": .string, "user": .string, "password": .string, "schemas": .list, "table": .string,
        "locations": .list, "format": .string, "lock_wait": .number, "lock_timeout": .integer,
        "lock_timeout_max": .integer, "lock_retries": .integer, "blocker_wait": .number, "statement_timeout": .integer, "allow_clean": .boolean, "sum": .boolean,
        "log_format": .string, "metrics_file": .string, "notify_command": .string, "history": .string, "safety": .string,
        "changelog": .string, "contexts": .list, "labels": .string, "skip_custom_changes": .boolean,
        "backfill_batch_ms": .integer, "backfill_pause": .number, "backfill_max_replica_lag_ms": .integer,
        "backfill_max_busy_sessions": .integer,
    ]
    static let defaults: [String: TOMLDocument.Value] = [
        "url": .string(DatabaseURL.defaultURL), "table": .string(TableName.defaultHistory.description),
        "locations": .array([.string("migrations")]), "schemas": .array([]), "lock_timeout": .integer(200),
        "lock_retries": .integer(20), "blocker_wait": .integer(60), "allow_clean": .bool(false), "sum": .bool(true),
    ]

    private(set) var values: [String: Sourced<TOMLDocument.Value>] = [:]
    private(set) var placeholders: [String: Sourced<String>] = [:]
    /// `[lint]` of the configuration file, with the chosen environment's `[environments.NAME.lint]` over it.
    private(set) var lint = LintConfiguration()
    /// The environment chosen with `--environment` or `STRATA_ENVIRONMENT`.
    let environment: String?

    /// - Parameter flags: values given on the command line, by setting key.
    init(flags: [String: TOMLDocument.Value], flagPlaceholders: [String: String], configPath: String?,
         environmentName: String?, variables: [String: String] = ProcessInfo.processInfo.environment) throws {
        environment = environmentName ?? variables["STRATA_ENVIRONMENT"].flatMap { $0.isEmpty ? nil : $0 }
        for (key, value) in Self.defaults { values[key] = Sourced(value: value, source: "default") }
        let path = configPath ?? "strata.toml"
        if configPath != nil || FileManager.default.fileExists(atPath: path) {
            let file = try ConfigurationFile(path: path)
            lint = file.lint
            apply(try file.top.resolved(variables))
            if let environment {
                guard let section = file.environments[environment] else {
                    let known = file.environments.keys.sorted().joined(separator: ", ")
                    let hint = Suggestion.didYouMean(environment, among: file.environments.keys)
                    throw ConfigurationError("\(path) has no [environments.\(environment)] section\(known.isEmpty ? "" : " (it has: \(known))")\(hint); choose one of them or add it.")
                }
                apply(try section.resolved(variables))
                lint = lint.overridden(by: section.lint)
            }
        } else if let environment {
            throw ConfigurationError("--environment \(environment) needs a strata.toml (or --config PATH) with an [environments.\(environment)] section; there is none in this folder.")
        }
        try Self.refuseMisspelledVariables(variables)
        for (key, kind) in Self.keys {
            let name = "STRATA_" + key.uppercased()
            guard let text = variables[name], !text.isEmpty else { continue }
            values[key] = Sourced(value: try Self.value(fromText: text, kind: kind, key: key, source: name), source: name)
        }
        for (key, value) in flags { values[key] = Sourced(value: value, source: "--" + String(key.map { $0 == "_" ? "-" : $0 })) }
        for (name, value) in flagPlaceholders { placeholders[name] = Sourced(value: value, source: "-p") }
    }

    /// A `STRATA_*` variable a letter or so away from a setting's is a typo that would be
    /// ignored without a word, leaving the setting at its default: an error. Other `STRATA_*`
    /// names (a script's own, like `STRATA_BIN`) are left alone.
    private static func refuseMisspelledVariables(_ variables: [String: String]) throws {
        let prefix = "STRATA_", settings = keys.keys + ["environment"]
        let known = Set(settings.map { prefix + $0.uppercased() })
        for name in variables.keys.sorted() where name.hasPrefix(prefix) && !known.contains(name) {
            guard let meant = Suggestion.closest(to: String(name.dropFirst(prefix.count)), among: settings) else { continue }
            let variable = prefix + meant.uppercased()
            throw ConfigurationError("The environment variable \(name) is not a Strata setting (did you mean \(variable)?), so it would be ignored; rename it to \(variable), or unset it.")
        }
    }

    private mutating func apply(_ layer: (values: [String: Sourced<TOMLDocument.Value>], placeholders: [String: Sourced<String>])) {
        values.merge(layer.values) { $1 }
        placeholders.merge(layer.placeholders) { $1 }
    }

    /// Text from an environment variable or a flag, as the setting's type.
    static func value(fromText text: String, kind: Kind, key: String, source: String) throws(InvalidSetting) -> TOMLDocument.Value {
        let value: TOMLDocument.Value? = switch kind {
        case .string: .string(text)
        case .list: list(fromText: text)
        case .integer: Int(text).map { .integer($0) }
        case .number: Double(text).map { .float($0) }
        case .boolean: ["true": true, "false": false, "1": true, "0": false][text.lowercased()].map { .bool($0) }
        }
        guard let value else { throw InvalidSetting(key: key, value: .string(text), source: source, allowed: kind.expected) }
        return value
    }

    /// A comma-separated list (`--schemas a,b`), its items trimmed and empty ones dropped.
    static func list(fromText text: String) -> TOMLDocument.Value {
        .array(text.split(separator: ",").map { .string(SQLText.trimmed($0)) }.filter { $0 != .string("") })
    }

    // MARK: Typed access

    /// Where a setting's value came from, for messages.
    func source(of key: String) -> String {
        values[key]?.source ?? "default"
    }

    func string(_ key: String) -> String? {
        if case .string(let text)? = values[key]?.value { return text }
        return nil
    }

    func list(_ key: String) -> [String] {
        guard case .array(let items)? = values[key]?.value else { return [] }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    func integer(_ key: String) -> Int? {
        if case .integer(let number)? = values[key]?.value { return number }
        return nil
    }

    func number(_ key: String) -> Double? {
        switch values[key]?.value {
        case .float(let number)?: number
        case .integer(let number)?: Double(number)
        default: nil
        }
    }

    func boolean(_ key: String) -> Bool {
        if case .bool(let flag)? = values[key]?.value { return flag }
        return false
    }

    /// A setting's value when it lies in `range`; nil when it is unset.
    /// - Throws: ``InvalidSetting`` saying it must be `allowed` when it lies outside.
    func value<Value: Comparable>(
        _ key: String, _ read: (String) -> Value?, in range: ClosedRange<Value>, allowed: String
    ) throws(InvalidSetting) -> Value? {
        guard let sourced = values[key], let value = read(key) else { return nil }
        guard range.contains(value) else { throw InvalidSetting(key: key, value: sourced.value, source: sourced.source, allowed: allowed) }
        return value
    }

    /// A text setting as `parse` reads it; nil when it is unset.
    /// - Throws: ``InvalidSetting`` saying it must be `allowed` when `parse` finds nothing in it.
    func parsed<Value>(_ key: String, allowed: @autoclosure () -> String, _ parse: (String) -> Value?) throws(InvalidSetting) -> Value? {
        guard let sourced = values[key], case .string(let text) = sourced.value else { return nil }
        guard let value = parse(text) else { throw InvalidSetting(key: key, value: sourced.value, source: sourced.source, allowed: allowed()) }
        return value
    }

    /// A setting that names a case of `Choice`; nil when it is unset or one of `others`.
    /// - Throws: ``InvalidSetting`` listing the names, and the one a typo most likely meant.
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, besides others: [String] = []
    ) throws(InvalidSetting) -> Choice? where Choice.RawValue == String {
        if let text = string(key), others.contains(text) { return nil }
        let names = others + Choice.allCases.map(\.rawValue)
        return try parsed(key, allowed: "one of \(names.joined(separator: ", "))" + Suggestion.didYouMean(string(key) ?? "", among: names),
                          Choice.init(rawValue:))
    }

    /// Each setting, its value as people may see it (secrets masked), and its source.
    var report: [(key: String, value: String, source: String)] {
        values.sorted { $0.key < $1.key }.map { ($0.key, Self.shown($0.key, $0.value.value), $0.value.source) }
            + placeholders.sorted { $0.key < $1.key }.map { ("placeholders.\($0.key)", $0.value.value, $0.value.source) }
    }

    /// A setting's value as people may see it, in reports and errors: `password` as `***`, and
    /// `url` with its password masked.
    static func shown(_ key: String, _ value: TOMLDocument.Value) -> String {
        if key == "password" { return PasswordMask.mask }
        return switch value {
        case .string(let text): key == "url" ? PasswordMask.conninfo(text) : text
        case .integer(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): String(flag)
        case .array(let items): items.map { shown(key, $0) }.joined(separator: ",")
        }
    }
}

/// What the commands make of the settings.
extension Settings {
    var schemas: [String] { list("schemas") }

    /// The changelog to run, if any. `--contexts`, `--labels` or `--skip-custom-changes` on the
    /// command line with no changelog configured is refused: the command would run the migration
    /// folders and drop the flag without a word. (In strata.toml they may sit beside environments
    /// that have no changelog.)
    func changelogSettings() throws -> ChangelogSettings? {
        guard let path = string("changelog") else {
            if let flag = ["contexts", "labels", "skip_custom_changes"].map(source(of:)).first(where: { $0.hasPrefix("--") }) {
                throw ConfigurationError("\(flag) applies to a Liquibase changelog: add --changelog FILE (or set changelog in strata.toml).")
            }
            return nil
        }
        let labels = string("labels") ?? ""
        do throws(FilterExpressionError) {
            _ = try LabelExpression(parsing: labels)
        } catch {
            throw InvalidSetting(key: "labels", value: .string(labels), source: source(of: "labels"),
                                 allowed: "a label expression such as 'v1 and !beta' (\(error.reason))")
        }
        return ChangelogSettings(path: path, contexts: Set(list("contexts")), labels: labels, skipCustomChanges: boolean("skip_custom_changes"))
    }

    /// The library configuration these settings make, with the code migrations the program
    /// registered (see ``StrataCommand/main(arguments:codeMigrations:)``).
    func configuration() throws -> StrataConfiguration {
        var configuration = StrataConfiguration(
            url: string("url") ?? DatabaseURL.defaultURL, locations: list("locations"), codeMigrations: StrataCommand.codeMigrations,
            schemas: schemas, table: try parsed("table", allowed: "a table name: name or schema.name") { try? TableName(parsing: $0) },
            layout: try layout(), placeholders: placeholders.mapValues(\.value), user: string("user"), password: string("password"),
            lockWait: try value("lock_wait", number, in: Self.seconds, allowed: Self.secondsAllowed).map { .milliseconds(Int($0 * 1000)) },
            lockRetry: try lockRetryPolicy())
        configuration.verifiesSums = boolean("sum")
        configuration.history = try companionHistory()
        configuration.changelog = try changelogSettings()
        configuration.safety = try configuredSafety()
        configuration.backfill = try backfillSettings()
        return configuration
    }

    /// `history`: `strata` (the default) keeps Strata's own alone.
    func companionHistory() throws(InvalidSetting) -> CompanionHistory? {
        try choice("history", besides: ["strata"])
    }

    func layout() throws(InvalidSetting) -> MigrationLayout? {
        try choice("format")
    }

    /// How fast backfills go: `backfill_batch_ms` (the time budget of one batch),
    /// `backfill_pause` (the pause after a batch, as a fraction of its time) and
    /// `backfill_max_replica_lag_ms` (0: do not watch replicas) and `backfill_max_busy_sessions`
    /// (0, the default: do not watch the application).
    func backfillSettings() throws(InvalidSetting) -> BackfillSettings {
        var settings = BackfillSettings()
        if let budget = try value("backfill_batch_ms", integer, in: 1...Self.maximumMilliseconds, allowed: Self.millisecondsAllowed(from: "1")) {
            settings.batchMilliseconds = budget
        }
        if let pause = try value("backfill_pause", number, in: 0...1_000, allowed: "a fraction of a batch's time from 0 to 1000") {
            settings.pauseFraction = pause
        }
        if let lag = try value("backfill_max_replica_lag_ms", integer, in: 0...Self.maximumMilliseconds,
                               allowed: Self.millisecondsAllowed(from: "0 (do not watch replicas)")) {
            settings.maximumReplicaLagMilliseconds = lag == 0 ? nil : lag
        }
        if let busy = try value("backfill_max_busy_sessions", integer, in: 0...Int.max,
                                allowed: "a whole number of sessions, 0 (do not watch the application) or more") {
            settings.maximumBusySessions = busy == 0 ? nil : busy
        }
        return settings
    }

    /// The migrate options' lock settings.
    func lockRetryPolicy() throws(InvalidSetting) -> LockRetryPolicy {
        let timeout = try value("lock_timeout", integer, in: 1...Self.maximumMilliseconds, allowed: Self.millisecondsAllowed(from: "1")) ?? 200
        let maximum = try value("lock_timeout_max", integer, in: timeout...Self.maximumMilliseconds,
                                allowed: Self.millisecondsAllowed(from: "lock_timeout (\(timeout), \(source(of: "lock_timeout")))")) ?? timeout
        let retries = try value("lock_retries", integer, in: 0...Int.max, allowed: "a whole number, 0 or more") ?? 20
        let statement = try value("statement_timeout", integer, in: 1...Self.maximumMilliseconds, allowed: Self.millisecondsAllowed(from: "1"))
        let blockerWait = try value("blocker_wait", number, in: Self.seconds, allowed: Self.secondsAllowed) ?? 60
        return LockRetryPolicy(lockTimeoutMilliseconds: timeout, maximumLockTimeoutMilliseconds: maximum, retries: retries,
                               statementTimeoutMilliseconds: statement, blockerWaitMilliseconds: Int(blockerWait * 1000))
    }

    /// The database `url` names.
    func databaseURL() throws(InvalidSetting) -> DatabaseURL? {
        try parsed("url", allowed: "sqlite:PATH, sqlite:///absolute/path.db, sqlite::memory:, a postgresql://… URL or a libpq key=value string") {
            try? DatabaseURL(parsing: $0)
        }
    }

    /// PostgreSQL's largest timeout, as the library checks it too.
    private static let maximumMilliseconds = StrataConfiguration.maximumMilliseconds
    private static func millisecondsAllowed(from lowest: String) -> String {
        "a whole number of milliseconds from \(lowest) to \(maximumMilliseconds)"
    }

    /// Waits in seconds: a billion (some 30 years) is as good as forever, and keeps milliseconds in range.
    private static let seconds: ClosedRange<Double> = 0...1_000_000_000
    private static let secondsAllowed = "a number of seconds from 0 to 1000000000"
}
