import Foundation
import StrataLint
import Testing

/// The rule corpus: for every rule, a migration that triggers it and its safe rewrite, with the
/// expected findings as data (`Tests/Fixtures/lint/<rule-id>/`). `before.sql`, when present, is
/// an earlier migration read for what it creates (column types, indexes) and not reported.
@Suite struct LintCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lint")

    struct Expected: Decodable {
        struct Finding: Decodable, Equatable, CustomStringConvertible {
            let rule: String
            let line: Int
            let severity: String
            let lock: String?
            let work: String?

            var description: String { "\(rule)@\(line) \(severity) \(lock ?? "-") \(work ?? "-")" }
        }

        let postgresVersion: Int?
        let bad: [Finding]
        let good: [Finding]
    }

    static var rules: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
    }

    @Test func everyRuleHasACase() {
        #expect(Set(Self.rules) == LintOptions.ruleIDs)
    }

    @Test(arguments: rules)
    func corpusCase(rule: String) throws {
        let folder = Self.corpus.appendingPathComponent(rule)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let linter = Linter(options: LintOptions(postgresVersion: expected.postgresVersion ?? 15))
        let before = try? String(contentsOf: folder.appendingPathComponent("before.sql"), encoding: .utf8)
        for (file, wanted) in [("bad.sql", expected.bad), ("good.sql", expected.good)] {
            let sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let sources = (before.map { [LintSource(path: "before.sql", sql: $0, reported: false)] } ?? []) + [LintSource(path: file, sql: sql)]
            let found = try linter.lint(sources).map {
                Expected.Finding(rule: $0.rule, line: $0.line, severity: $0.severity.rawValue, lock: $0.lock?.rawValue, work: $0.work?.rawValue)
            }
            #expect(found == wanted, "\(rule)/\(file)")
        }
        #expect(expected.bad.contains { $0.rule == rule }, "\(rule)/bad.sql triggers its own rule")
    }
}
