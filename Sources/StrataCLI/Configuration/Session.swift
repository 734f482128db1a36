import Strata
import StrataKit

/// What one command works with: the settings it resolved, and the library configuration they
/// make, from which the migrator is built the way a Swift program builds it.
struct Session {
    let settings: Settings
    let configuration: StrataConfiguration

    /// - Parameter extra: the command's own settings flags (`--lock-timeout` and the like).
    init(_ options: GlobalOptions, extra: [String: TOMLDocument.Value] = [:]) throws {
        settings = try options.settings(extra: extra)
        configuration = try settings.configuration()
        _ = try settings.databaseURL()
        let format: GlobalOptions.LogFormat = try settings.choice("log_format") ?? .text
        if format == .json || settings.string("metrics_file") != nil || settings.string("notify_command") != nil {
            RunObserver.current = RunObserver(jsonLog: format == .json, metricsFile: settings.string("metrics_file"),
                                              notifyCommand: settings.string("notify_command"), database: display)
        }
    }

    /// - Parameter create: false for commands that only read (see ``StrataConfiguration/makeMigrator(create:onEvent:)``).
    /// - Parameter verifyingSums: false for reports that show the state as it is (`info`).
    /// - Parameter readOnly: true for reports that run no migration (`info`, `status`, `validate`,
    ///   `history`): placeholders without a value are left as written instead of refused.
    func migrator(create: Bool, verifyingSums: Bool = true, readOnly: Bool = false,
                  onEvent: @escaping (MigrationEvent) -> Void = Session.printNotices) throws -> Migrator {
        var configuration = configuration
        configuration.verifiesSums = configuration.verifiesSums && verifyingSums
        configuration.requiresPlaceholderValues = !readOnly
        guard let observer = RunObserver.current else { return try configuration.makeMigrator(create: create, onEvent: onEvent) }
        return try configuration.makeMigrator(create: create) { event in
            observer.handle(event)
            onEvent(event)
        }
    }

    /// Where the database is, for people: without the password.
    var display: String { (try? configuration.databaseURL().display) ?? PasswordMask.conninfo(configuration.url) }

    /// What commands that draw no progress still show: server notices and lock waits, on
    /// standard error so that a report printed with --json stays valid JSON.
    static func printNotices(_ event: MigrationEvent) {
        switch event {
        case .notice(let message): Terminal.error("  \(message)")
        case .waitingForLock(let message): Terminal.error(message)
        case .warning(let message): Terminal.error("warning: \(message)")
        default: break
        }
    }
}
