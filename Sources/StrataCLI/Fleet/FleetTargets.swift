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
            let urls = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { SQLText.trimmed($0) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            guard !urls.isEmpty else { throw ConfigurationError("The targets file \(spec) lists no database URL; put one per line.") }
            for url in urls { _ = try DatabaseURL(parsing: url) }
            return urls.map { FleetTarget(source: .url($0)) }
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
