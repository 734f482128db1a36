#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// `strata.toml`: top-level settings, `[placeholders]`, `[lint]`, and `[environments.NAME]` sections
/// (with their own `[environments.NAME.placeholders]` and `[environments.NAME.lint]`). `${env.VAR}` in a string reads an
/// environment variable. An unknown key, a wrong type or a missing variable is an error that
/// names the file, the line and the key.
struct ConfigurationFile {
    /// A value as written, whose `${env.VAR}` are read only if its section is used.
    struct Setting {
        let value: TOMLDocument.Value
        let path: String
        let line: Int
        let key: String

        var source: String { "\(path):\(line)" }

        func resolved(_ variables: [String: String]) throws -> Sourced<TOMLDocument.Value> {
            Sourced(value: try ConfigurationFile.expandingVariables(value, variables: variables) { message in
                ConfigurationError("\(path):\(line): \(key): \(message).")
            }, source: source)
        }
    }

    struct Section {
        var values: [String: Setting] = [:]
        var placeholders: [String: Setting] = [:]
        /// `[environments.NAME.lint]`: what it changes of the top-level `[lint]`.
        var lint = LintConfiguration()

        /// The section's settings and placeholders, with their variables read.
        func resolved(_ variables: [String: String]) throws
            -> (values: [String: Sourced<TOMLDocument.Value>], placeholders: [String: Sourced<String>]) {
            let resolvedValues = try values.mapValues { try $0.resolved(variables) }
            let resolvedPlaceholders = try placeholders.mapValues { setting -> Sourced<String> in
                let value = try setting.resolved(variables)
                guard case .string(let text) = value.value else { return Sourced(value: "", source: value.source) }
                return Sourced(value: text, source: value.source)
            }
            return (resolvedValues, resolvedPlaceholders)
        }
    }

    private(set) var top = Section()
    private(set) var lint = LintConfiguration()
    private(set) var environments: [String: Section] = [:]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("Cannot read the configuration file \(path): check that it exists, is readable and is UTF-8.")
        }
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ConfigurationError("\(path):\(error.line): \(error.message).")
        }
        for entry in document.entries {
            let keyPath = (entry.table + [entry.key]).joined(separator: ".")
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError("\(path):\(entry.line): \(keyPath): \(message).")
            }
            func setting(_ value: TOMLDocument.Value) -> Setting {
                Setting(value: value, path: path, line: entry.line, key: keyPath)
            }
            switch entry.table.count {
            case 0:
                top.values[entry.key] = setting(try Self.checked(entry, source: "\(path):\(entry.line)", fail))
            case 1 where entry.table[0] == "placeholders":
                top.placeholders[entry.key] = setting(.string(try Self.placeholder(entry.value, fail)))
            case 1 where entry.table[0] == "lint", 2 where entry.table == ["lint", "severity"]:
                try lint.read(table: entry.table, key: entry.key, value: entry.value, fail)
            case 2 where entry.table[0] == "environments":
                environments[entry.table[1], default: Section()].values[entry.key] = setting(try Self.checked(entry, source: "\(path):\(entry.line)", fail))
            case 3 where entry.table[0] == "environments" && entry.table[2] == "lint",
                 4 where entry.table[0] == "environments" && entry.table[2...] == ["lint", "severity"]:
                try environments[entry.table[1], default: Section()].lint.read(table: Array(entry.table[2...]), key: entry.key, value: entry.value, fail)
            case 3 where entry.table[0] == "environments" && entry.table[2] == "placeholders":
                environments[entry.table[1], default: Section()].placeholders[entry.key] = setting(.string(try Self.placeholder(entry.value, fail)))
            default:
                let table = entry.table.joined(separator: ".")
                let name = entry.table.count > 1 ? entry.table[1] : "NAME"
                let known = ["placeholders", "lint", "lint.severity"] + ["", ".placeholders", ".lint", ".lint.severity"].map { "environments.\(name)" + $0 }
                let hint = Suggestion.didYouMean(table, among: known) { "[\($0)]" }
                throw fail("unknown table [\(table)]\(hint); the file knows [placeholders], [lint], [environments.NAME], [environments.NAME.placeholders] and [environments.NAME.lint]")
            }
        }
    }

    /// A setting's value, when the key is one and the value has its type.
    private static func checked(_ entry: TOMLDocument.Entry, source: String, _ fail: (String) -> ConfigurationError) throws -> TOMLDocument.Value {
        guard let kind = Settings.keys[entry.key] else {
            let hint = Suggestion.didYouMean(entry.key, among: Settings.keys.keys)
            throw fail("unknown key\(hint); the keys are \(Settings.keys.keys.sorted().joined(separator: ", "))")
        }
        switch (kind, entry.value) {
        case (.string, .string), (.integer, .integer), (.number, .integer), (.number, .float), (.boolean, .bool):
            return entry.value
        case (.list, .array(let items)):
            guard let wrong = items.first(where: { if case .string(let text) = $0 { text.isEmpty } else { true } }) else { return entry.value }
            let given = wrong == .string("") ? "an empty string" : wrong.typeName
            throw InvalidSetting(key: entry.key, value: entry.value, source: source, allowed: "\(kind.expected), not an array holding \(given)")
        case (.list, .string(let text)):
            return Settings.list(fromText: text)
        default:
            throw InvalidSetting(key: entry.key, value: entry.value, source: source, allowed: "\(kind.expected), not \(entry.value.typeName)")
        }
    }

    private static func placeholder(_ value: TOMLDocument.Value, _ fail: (String) -> ConfigurationError) throws -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: throw fail("a placeholder's value must be a string, a number or a boolean, not \(value.typeName)")
        }
    }

    /// Replaces `${env.VAR}` in strings.
    static func expandingVariables(
        _ value: TOMLDocument.Value, variables: [String: String], _ fail: (String) -> ConfigurationError
    ) throws -> TOMLDocument.Value {
        switch value {
        case .string(let text):
            var output = ""
            var rest = Substring(text)
            while let start = rest.firstRange(of: "${env.") {
                output += rest[..<start.lowerBound]
                guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw fail("`${env.` is not closed with `}`") }
                let name = String(rest[start.upperBound..<end])
                guard let variable = variables[name] else { throw fail("the environment variable \(name) is not set") }
                output += variable
                rest = rest[rest.index(after: end)...]
            }
            return .string(output + rest)
        case .array(let items):
            return .array(try items.map { try expandingVariables($0, variables: variables, fail) })
        default:
            return value
        }
    }
}
