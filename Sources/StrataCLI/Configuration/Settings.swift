#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata
import StrataKit

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
    enum Kind { case string, list, integer, number, boolean }
    static let keys: [String: Kind] = [
        "url": .string, "user": .string, "password": .string, "schemas": .list, "table": .string,
        "locations": .list, "format": .string, "lock_wait": .number, "lock_timeout": .integer,
        "lock_timeout_max": .integer, "lock_retries": .integer, "blocker_wait": .number, "statement_timeout": .integer, "allow_clean": .boolean, "sum": .boolean,
        "log_format": .string, "metrics_file": .string, "notify_command": .string, "history": .string, "safety": .string,
        "changelog": .string, "contexts": .list, "labels": .string, "skip_custom_changes": .boolean,
        "backfill_batch_ms": .integer, "backfill_pause": .number, "backfill_max_replica_lag_ms": .integer,
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
                    throw ConfigurationError("\(path) has no [environments.\(environment)] section\(known.isEmpty ? "" : " (it has: \(known))"); choose one of them or add it.")
                }
                apply(try section.resolved(variables))
                lint = lint.overridden(by: section.lint)
            }
        } else if let environment {
            throw ConfigurationError("--environment \(environment) needs a strata.toml (or --config PATH) with an [environments.\(environment)] section; there is none in this folder.")
        }
        for (key, kind) in Self.keys {
            let name = "STRATA_" + key.uppercased()
            guard let text = variables[name], !text.isEmpty else { continue }
            values[key] = Sourced(value: try Self.value(fromText: text, kind: kind, source: name), source: name)
        }
        for (key, value) in flags { values[key] = Sourced(value: value, source: "--" + String(key.map { $0 == "_" ? "-" : $0 })) }
        for (name, value) in flagPlaceholders { placeholders[name] = Sourced(value: value, source: "-p") }
    }

    private mutating func apply(_ layer: (values: [String: Sourced<TOMLDocument.Value>], placeholders: [String: Sourced<String>])) {
        values.merge(layer.values) { $1 }
        placeholders.merge(layer.placeholders) { $1 }
    }

    /// Text from an environment variable or a flag, as the setting's type.
    static func value(fromText text: String, kind: Kind, source: String) throws -> TOMLDocument.Value {
        switch kind {
        case .string: return .string(text)
        case .list: return .array(text.split(separator: ",").map { .string(SQLText.trimmed($0)) }.filter { $0 != .string("") })
        case .integer:
            guard let number = Int(text) else { throw ConfigurationError("\(source) must be a whole number, not '\(text)'.") }
            return .integer(number)
        case .number:
            guard let number = Double(text) else { throw ConfigurationError("\(source) must be a number, not '\(text)'.") }
            return .float(number)
        case .boolean:
            guard let flag = ["true": true, "false": false, "1": true, "0": false][text.lowercased()] else {
                throw ConfigurationError("\(source) must be true or false, not '\(text)'.")
            }
            return .bool(flag)
        }
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

    /// Each setting, its value as people may see it (secrets masked), and its source.
    var report: [(key: String, value: String, source: String)] {
        values.keys.sorted().map { key in
            let sourced = values[key]!
            let shown: String = switch (key, sourced.value) {
            case ("password", _): "***"
            case ("url", .string(let url)): PasswordMask.conninfo(url)
            default: Self.describe(sourced.value)
            }
            return (key, shown, sourced.source)
        } + placeholders.keys.sorted().map { name in ("placeholders.\(name)", placeholders[name]!.value, placeholders[name]!.source) }
    }

    private static func describe(_ value: TOMLDocument.Value) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): String(flag)
        case .array(let items): items.map(describe).joined(separator: ",")
        }
    }
}

/// What the commands make of the settings.
extension Settings {
    var schemas: [String] { list("schemas") }

    /// The library configuration these settings make, with the code migrations the program
    /// registered (see ``StrataCommand/main(arguments:codeMigrations:)``).
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
        return ChangelogSettings(path: path, contexts: Set(list("contexts")), labels: string("labels") ?? "",
                                 skipCustomChanges: boolean("skip_custom_changes"))
    }

    func configuration() throws -> StrataConfiguration {
        var configuration = StrataConfiguration(
            url: string("url") ?? DatabaseURL.defaultURL, locations: list("locations"), codeMigrations: StrataCommand.codeMigrations,
            schemas: schemas, table: try TableName(parsing: string("table") ?? TableName.defaultHistory.description),
            layout: try layout(), placeholders: placeholders.mapValues(\.value), user: string("user"), password: string("password"),
            lockWait: number("lock_wait").map { .milliseconds(Int($0 * 1000)) }, lockRetry: try lockRetryPolicy())
        configuration.verifiesSums = boolean("sum")
        configuration.history = try companionHistory()
        configuration.changelog = try changelogSettings()
        configuration.safety = try configuredSafety()
        configuration.backfill = try backfillSettings()
        return configuration
    }

    /// `history`: `strata` (the default) keeps Strata's own alone.
    func companionHistory() throws -> CompanionHistory? {
        guard let text = string("history"), text != "strata" else { return nil }
        guard let tool = CompanionHistory(rawValue: text) else {
            throw ConfigurationError("history '\(text)' (\(values["history"]!.source)) is not a history Strata keeps: use strata, golang-migrate or dbmate.")
        }
        return tool
    }

    func layout() throws -> MigrationLayout? {
        guard let text = string("format") else { return nil }
        guard let layout = MigrationLayout(rawValue: text) else {
            throw ConfigurationError("format '\(text)' (\(values["format"]!.source)) is not a layout: use flyway, golang-migrate or dbmate.")
        }
        return layout
    }

    /// How fast backfills go: `backfill_batch_ms` (the time budget of one batch),
    /// `backfill_pause` (the pause after a batch, as a fraction of its time) and
    /// `backfill_max_replica_lag_ms` (0: do not watch replicas).
    func backfillSettings() throws -> BackfillSettings {
        var settings = BackfillSettings()
        if let budget = integer("backfill_batch_ms") { settings.batchMilliseconds = budget }
        if let pause = number("backfill_pause") { settings.pauseFraction = pause }
        if let lag = integer("backfill_max_replica_lag_ms") { settings.maximumReplicaLagMilliseconds = lag == 0 ? nil : lag }
        guard settings.batchMilliseconds > 0, settings.pauseFraction >= 0, (settings.maximumReplicaLagMilliseconds ?? 1) > 0 else {
            throw ConfigurationError("backfill_batch_ms must be positive, and backfill_pause and backfill_max_replica_lag_ms zero or more.")
        }
        return settings
    }

    /// The migrate options' lock settings.
    func lockRetryPolicy() throws -> LockRetryPolicy {
        let timeout = integer("lock_timeout") ?? 200, maximum = integer("lock_timeout_max") ?? timeout
        let retries = integer("lock_retries") ?? 20, statement = integer("statement_timeout"), blockerWait = number("blocker_wait") ?? 60
        guard timeout > 0, maximum >= timeout, retries >= 0, (statement ?? 1) > 0, blockerWait >= 0 else {
            throw ConfigurationError("Timeouts must be positive, lock_timeout_max at least lock_timeout, and lock_retries and blocker_wait zero or more.")
        }
        return LockRetryPolicy(lockTimeoutMilliseconds: timeout, maximumLockTimeoutMilliseconds: maximum, retries: retries,
                               statementTimeoutMilliseconds: statement, blockerWaitMilliseconds: Int(blockerWait * 1000))
    }
}
