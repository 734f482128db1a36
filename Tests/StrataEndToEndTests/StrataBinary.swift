import Foundation

/// Runs the built `strata` executable, as a user would.
struct StrataBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["STRATA_BIN"] {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                fatalError("STRATA_BIN names \(explicit), which is not an executable file; build it, or unset STRATA_BIN to test the binary built beside the tests")
            }
            return explicit
        }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            runner.appendingPathComponent("strata"),
            runner.deletingLastPathComponent().appendingPathComponent("strata"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("strata"),
            packageRoot.appendingPathComponent(".build/debug/strata"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            fatalError("cannot find the strata binary next to the tests; build it or set STRATA_BIN")
        }
        return found.path
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Starts `strata` with `arguments` in `directory` without waiting for it. `interruptible`
    /// gives it SIGINT's default action, as a terminal's Ctrl-C finds it: a test runner started
    /// in the background by a non-interactive shell ignores SIGINT, and its children inherit that.
    static func start(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                      interruptible: Bool = false) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interruptible ? "/usr/bin/env" : path)
        process.arguments = interruptible ? ["--default-signal=INT", path] + arguments : arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "STRATA_URL")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Result {
        let (process, out, err) = started
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs another program (a shell, `sqlite3`) in `directory`.
    static func runTool(_ executable: String, _ arguments: [String], in directory: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return finish((process, out, err))
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        finish(try start(arguments, in: directory, environment: environment))
    }
}
