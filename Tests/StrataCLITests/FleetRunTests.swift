#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import StrataTestSupport
import Testing
@testable import StrataCLI

/// What the README says of `--targets` runs that a unit can check: how many run at once, and
/// the live table a terminal shows.
@Suite struct FleetRunTests {
    @Test func withoutParallelAsManyTargetsRunAtOnceAsThereAreCores() throws {
        let folder = TemporaryFolder()
        let targets = folder.write("targets.txt", "# tenants\nsqlite:a.db\n\nsqlite:b.db\n")
        let options = try FleetOptions.parse(["--targets", targets])
        let run = try FleetRun(options, spec: targets, configPath: nil, json: false)
        #expect(run.targets.count == 2)
        #expect(run.parallel == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(try FleetRun(FleetOptions.parse(["--targets", targets, "--parallel", "3"]), spec: targets, configPath: nil, json: false).parallel == 3)
    }

    /// Each frame redraws the last one in place: up over its header and rows, every line
    /// cleared past its end (a state that got shorter, `running` to `done`, leaves nothing behind).
    @Test func theLiveTableRedrawsItselfInPlace() {
        let table = LiveTable(enabled: true)
        var results = [FleetRun.Result(target: "sqlite:a.db", outcome: .running), FleetRun.Result(target: "sqlite:b.db")]
        let clear = "\u{1B}[K"
        #expect(table.nextFrame(results) == [
            "Target       State    Time" + clear,
            "sqlite:a.db  running  " + clear,
            "sqlite:b.db  pending  " + clear,
        ].joined(separator: "\n"))
        results[0].outcome = .done
        results[0].durationMs = 1_500
        let second = table.nextFrame(results)
        #expect(second.hasPrefix("\u{1B}[3A\r"), "\(second.debugDescription)")
        #expect(second.contains("sqlite:a.db  done     1500 ms" + clear), "\(second.debugDescription)")
        #expect(second.split(separator: "\n").count == 3)
    }
}
