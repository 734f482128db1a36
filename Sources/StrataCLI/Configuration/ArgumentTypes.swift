import ArgumentParser
import Strata

/// Versions, targets and undo targets as option values: a bad one is a usage error naming the
/// option, reported by the argument parser before the command runs.
extension MigrationVersion: ExpressibleByArgument {
    /// Parses a version option (`--version`, `--from`); nil for text that is not a version.
    public init?(argument: String) {
        self.init(argument)
    }

    /// Versions are free text to shell completion.
    public static var defaultCompletionKind: CompletionKind { .default }
}

extension MigrationTarget: ExpressibleByArgument {
    /// Parses `--target`: `latest`, `current`, `next`, `+N` or a version.
    public init?(argument: String) {
        self.init(argument)
    }
}

/// `strata undo --target`: a version, or `-N` for the newest N.
enum UndoTarget: ExpressibleByArgument, Equatable {
    case version(MigrationVersion)
    case newest(Int)

    init?(argument: String) {
        if argument.hasPrefix("-"), let count = Int(argument.dropFirst()), count > 0 {
            self = .newest(count)
        } else if let version = MigrationVersion(argument) {
            self = .version(version)
        } else {
            return nil
        }
    }
}
