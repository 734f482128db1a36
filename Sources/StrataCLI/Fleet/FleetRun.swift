import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Strata

/// `--targets`, `--parallel` and `--fail-fast`: the same command on many databases.
struct FleetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Run on many databases: a file of URLs (one per line) or a glob over strata.toml's environments (e.g. 'tenant-*').",
        valueName: "file|glob"))
    var targets: String?

    @Option(name: .long, help: ArgumentHelp("With --targets: how many databases at once (default: the number of cores).", valueName: "count"))
    var parallel: Int?

    @Flag(name: .long, help: "With --targets: start no new target once one has failed.")
    var failFast = false

    func validate() throws {
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be 1 or more, not \(parallel).") }
        if targets == nil && (parallel != nil || failFast) { throw ValidationError("--parallel and --fail-fast go with --targets.") }
    }
}

extension FleetOptions {
    /// Runs the command on every target when `--targets` is given (and says so by returning
    /// true); the command then does nothing else.
    func ranOnTargets(configPath: String?, json: Bool) throws -> Bool {
        guard let targets else { return false }
        try FleetRun(self, spec: targets, configPath: configPath, json: json).run(arguments: StrataCommand.invocationArguments)
        return true
    }
}

/// Runs one command on every target of a fleet, each in a process of its own (so each takes
/// its own migration lock and fails alone), a few at a time; draws a live table on a terminal
/// and ends with a summary, or JSON. Exit 1 when any target failed, naming them.
struct FleetRun {
    let targets: [FleetTarget]
    let parallel: Int
    let failFast: Bool
    let json: Bool

    enum Outcome: String, Encodable {
        case pending, running, done, failed, skipped
        /// `check` and `status --exit-code`: migrations are pending there.
        case behind
    }

    struct Result: Encodable {
        let target: String
        var outcome: Outcome = .pending
        var exitCode: Int32?
        var durationMs: Int?
        var output: String?
        var error: String?
    }

    init(_ options: FleetOptions, spec: String, configPath: String?, json: Bool) throws {
        targets = try FleetTarget.resolve(spec, configPath: configPath)
        parallel = options.parallel ?? max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        failFast = options.failFast
        self.json = json
    }

    /// Runs the command of this process's arguments, without the fleet options, on every target.
    func run(arguments: [String]) throws {
        let childArguments = Self.removingFleetOptions(arguments)
        if childArguments.contains(where: { $0 == "--url" || $0.hasPrefix("--url=") }) {
            throw ConfigurationError("Give --targets or --url, not both: --targets names the databases.")
        }
        var results = targets.map { Result(target: $0.name) }
        var running: [Int: (process: ChildProcess, started: ContinuousClock.Instant)] = [:]
        var next = 0
        let clock = ContinuousClock()
        let table = LiveTable(enabled: !json && isatty(1) == 1)
        let start = clock.now
        while next < targets.count || !running.isEmpty {
            let failed = results.contains { $0.outcome == .failed }
            while running.count < parallel && next < targets.count && !(failFast && failed) {
                let (executable, prefix) = StrataCommand.selfInvocation
                let target = targets[next]
                var arguments = prefix + childArguments
                var environment: [String: String] = [:]
                switch target.source {
                case .url(let url): environment["STRATA_URL"] = url
                case .environment(let name): arguments += ["--environment", name]
                }
                running[next] = (try ChildProcess(executable: executable, arguments: arguments, environment: environment), clock.now)
                results[next].outcome = .running
                next += 1
            }
            if failFast && failed && running.isEmpty {
                for index in results.indices where results[index].outcome == .pending { results[index].outcome = .skipped }
                break
            }
            table.draw(results)
            Self.pump(running.values.map(\.process))
            for (index, child) in running where child.process.openDescriptors.isEmpty {
                let status = child.process.wait()
                results[index].exitCode = status
                results[index].durationMs = Int((clock.now - child.started) / .milliseconds(1))
                results[index].outcome = status == 0 ? .done : status == 3 ? .behind : .failed
                results[index].output = String(decoding: child.process.output, as: UTF8.self)
                results[index].error = status == 0 ? nil : Self.lastParagraph(String(decoding: child.process.errors, as: UTF8.self))
                running[index] = nil
            }
        }
        table.draw(results)
        try report(results, milliseconds: Int((clock.now - start) / .milliseconds(1)))
    }

    /// Waits until a child has output or has ended, and reads what is there.
    private static func pump(_ children: [ChildProcess]) {
        let descriptors = children.flatMap { child in child.openDescriptors.map { (child, pollfd(fd: $0, events: Int16(POLLIN), revents: 0)) } }
        guard !descriptors.isEmpty else { return }
        var polled = descriptors.map(\.1)
        _ = poll(&polled, nfds_t(polled.count), 200)
        for (index, entry) in polled.enumerated() where entry.revents != 0 {
            descriptors[index].0.read(entry.fd)
        }
    }

    private func report(_ results: [Result], milliseconds: Int) throws {
        let failed = results.filter { $0.outcome == .failed }
        if json {
            try JSONOutput.print(results)
        } else {
            let counts = [Outcome.done, .behind, .failed, .skipped].compactMap { outcome -> String? in
                let count = results.filter { $0.outcome == outcome }.count
                return count == 0 ? nil : "\(count) \(outcome == .behind ? "with pending migrations" : outcome.rawValue)"
            }
            Terminal.print("\(results.count) target\(results.count == 1 ? "" : "s") in \(MigrationLabels.duration(milliseconds)): \(counts.joined(separator: ", ")).")
            for result in failed { Terminal.error("  \(result.target) failed: \(result.error ?? "exit \(result.exitCode ?? 1)")") }
        }
        if !failed.isEmpty { throw ExitCode(1) }
        if results.contains(where: { $0.outcome == .behind }) { throw ExitCode(3) }
    }

    /// The arguments without `--targets`, `--parallel` and `--fail-fast` (and their values).
    static func removingFleetOptions(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--targets" || argument == "--parallel" { skipNext = true; continue }
            if argument == "--fail-fast" || argument.hasPrefix("--targets=") || argument.hasPrefix("--parallel=") { continue }
            result.append(argument)
        }
        return result
    }

    /// A child's error, without the trailing blank lines: its last paragraph says what failed.
    private static func lastParagraph(_ text: String) -> String? {
        let paragraphs = text.components(separatedBy: "\n\n").map { SQLText.trimmed($0) }.filter { !$0.isEmpty }
        return paragraphs.last.map { $0.hasPrefix("error: ") ? String($0.dropFirst("error: ".count)) : $0 }
    }
}

/// The fleet's progress, redrawn in place on a terminal: one line per target.
struct LiveTable {
    let enabled: Bool
    private final class Drawn { var lines = 0 }
    private let drawn = Drawn()

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func draw(_ results: [FleetRun.Result]) {
        guard enabled else { return }
        Terminal.print(nextFrame(results))
    }

    /// The text that draws the table over the one drawn before: up as many lines as that one
    /// took (a header and a line per target), then each line cleared past its end, where a
    /// longer line from before would show through. Counts it as drawn: the next one goes over it.
    func nextFrame(_ results: [FleetRun.Result]) -> String {
        var table = TextTable("Target", "State", "Time")
        for result in results {
            table.add([result.target, result.outcome.rawValue, result.durationMs.map(MigrationLabels.duration) ?? ""])
        }
        let up = drawn.lines > 0 ? "\u{1B}[\(drawn.lines)A\r" : ""
        drawn.lines = results.count + 1
        return up + table.rendered.split(separator: "\n").map { $0 + "\u{1B}[K" }.joined(separator: "\n")
    }
}
