/// SARIF 2.1.0, the format code-scanning services (GitHub's among them) read: one run whose
/// tool lists the rules, and one result per finding.
extension LintReport {
    /// The report as a SARIF log: every rule Strata knows (not only those that fired) and one
    /// result per finding; `strata lint --format sarif` prints it as JSON.
    public var sarif: SARIFLog {
        let linterRules = [
            SARIFLog.Rule(id: LintRule.syntaxErrorID, shortDescription: .init(text: "A statement PostgreSQL's parser rejects."), defaultConfiguration: .init(level: "error")),
            SARIFLog.Rule(id: LintRule.unusedIgnoreID, shortDescription: .init(text: "A lint-ignore comment that suppresses nothing."), defaultConfiguration: .init(level: "warning")),
        ]
        let rules = LintRule.all.map { SARIFLog.Rule(id: $0.id, shortDescription: .init(text: $0.summary), defaultConfiguration: .init(level: $0.severity.rawValue)) } + linterRules
        let results = findings.map { finding in
            var text = "\(finding.message) \(finding.why)"
            if let lock = finding.lock { text += " Lock: \(lock.rawValue)." }
            if let safe = finding.safeSQL { text += "\nInstead:\n\(safe)" }
            return SARIFLog.Result(
                ruleId: finding.rule, level: finding.severity == .info ? "note" : finding.severity.rawValue, message: .init(text: text),
                locations: [.init(physicalLocation: .init(artifactLocation: .init(uri: finding.path), region: .init(startLine: finding.line)))])
        }
        return SARIFLog(runs: [.init(tool: .init(driver: .init(rules: rules)), results: results)])
    }
}

/// The parts of SARIF 2.1.0 a lint report fills.
public struct SARIFLog: Encodable, Sendable {
    /// A `message` or description: `{"text": …}`.
    public struct Text: Encodable, Sendable { let text: String }
    /// A rule's `defaultConfiguration`: its level (`error`, `warning`).
    public struct Level: Encodable, Sendable { let level: String }
    /// A rule (`reportingDescriptor`): its id, one-sentence summary and default level.
    public struct Rule: Encodable, Sendable {
        let id: String
        let shortDescription: Text
        let defaultConfiguration: Level
    }
    /// The tool's `driver`: `strata`, with every rule.
    public struct Driver: Encodable, Sendable {
        var name = "strata"
        let rules: [Rule]
    }
    /// A run's `tool`.
    public struct Tool: Encodable, Sendable { let driver: Driver }
    /// Where in the file: the finding's 1-based line.
    public struct Region: Encodable, Sendable { let startLine: Int }
    /// The migration file, by its path.
    public struct ArtifactLocation: Encodable, Sendable { let uri: String }
    /// A file and a region in it.
    public struct PhysicalLocation: Encodable, Sendable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }
    /// A result's location.
    public struct Location: Encodable, Sendable { let physicalLocation: PhysicalLocation }
    /// One finding: its rule, level, message (with why, lock and safe SQL) and location.
    public struct Result: Encodable, Sendable {
        let ruleId: String
        let level: String
        let message: Text
        let locations: [Location]
    }
    /// The one run of a lint: the tool and its results.
    public struct Run: Encodable, Sendable {
        let tool: Tool
        let results: [Result]
    }

    let version = "2.1.0"
    let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    let runs: [Run]

    private enum CodingKeys: String, CodingKey {
        case version, schema = "$schema", runs
    }
}
