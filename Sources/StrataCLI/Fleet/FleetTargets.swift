#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// One database of a fleet: a URL from a targets file, or an environment of `strata.toml`.
struct FleetTarget: Equatable {
    enum Source: Equatable {
        case url(String)
        case environment(String)
    }

    let source: Source

    /// How the target is shown: the environment's name, or the URL without its password.
    var name: String {
        switch source {
        case .url(let url): PasswordMask.conninfo(url)
        case .environment(let name): name
        }
    }

    /// `--targets`: a file of URLs (one per line; blank lines and `#` comments skipped), or a
    /// glob over the environments of the configuration file (`tenant-*`).
    static func resolve(_ spec: String, configPath: String?) throws -> [FleetTarget] {
        if let data = FileManager.default.contents(atPath: spec) {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { (number: $0.offset + 1, text: SQLText.trimmed($0.element)) }
                .filter { !$0.text.isEmpty && !$0.text.hasPrefix("#") }
            guard !lines.isEmpty else { throw ConfigurationError("The targets file \(spec) lists no database URL; put one per line.") }
            for line in lines {
                do {
                    _ = try DatabaseURL(parsing: line.text)
                } catch {
                    throw ConfigurationError("\(spec), line \(line.number): \(error)")
                }
            }
            return lines.map { FleetTarget(source: .url($0.text)) }
        }
        let path = configPath ?? "strata.toml"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError("--targets '\(spec)' is neither a file of URLs nor a glob over environments (there is no \(path)).")
        }
        let names = try ConfigurationFile(path: path).environments.keys.filter { fnmatch(spec, $0, 0) == 0 }.sorted()
        guard !names.isEmpty else {
            throw ConfigurationError("--targets '\(spec)' matches no environment of \(path); give a file of URLs or a glob such as 'tenant-*'.")
        }
        return names.map { FleetTarget(source: .environment($0)) }
    }
}
