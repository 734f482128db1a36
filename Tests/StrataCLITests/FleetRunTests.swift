#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import StrataTestSupport
import Testing
@testable import StrataCLI

/// What the README says of `--targets` runs that a unit can check: how many run at once.
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
}
