import Foundation

/// The peer projects' fixtures in `../shared/fixtures` (or `$STRATA_FIXTURES`), with their
/// `expectations.json`. Absent on a machine without them; the suites then skip. Read-only once
/// loaded, hence the unchecked Sendable: the JSON dictionary is never mutated.
public struct ConformanceFixtures: @unchecked Sendable {
    public let root: URL
    public let document: [String: Any]

    public static let shared: ConformanceFixtures? = {
        let environment = ProcessInfo.processInfo.environment["STRATA_FIXTURES"]
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let root = environment.map { URL(fileURLWithPath: $0) }
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
        guard let data = try? Data(contentsOf: root.appendingPathComponent("expectations.json")),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return ConformanceFixtures(root: root, document: document)
    }()

    public static var available: Bool { shared != nil }

    public func records(_ key: String) -> [[String: Any]] {
        document[key] as? [[String: Any]] ?? []
    }

    public func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    public func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}
