import Foundation
import Testing
@testable import StrataCLI

/// The README's list of `strata.toml` keys is the list `Settings` accepts: a key added to one
/// and not the other fails here.
@Suite struct ReadmeConfigurationKeysTests {
    @Test func theReadmeListsEveryKeyTheConfigurationAccepts() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "\nKeys: "))
        let end = try #require(readme.range(of: "`[placeholders]`", range: start.upperBound..<readme.endIndex))
        let listed = readme[start.upperBound..<end.lowerBound].split(separator: "`", omittingEmptySubsequences: false)
            .enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(listed.count == Set(listed).count, "a key is listed twice")
        #expect(Set(listed) == Set(Settings.keys.keys))
    }
}
