@testable import Strata
import Testing
@testable import StrataCLI

/// README: "A terminal shows a progress bar (rows, rows/s, ETA); `--json` writes
/// `backfill_progress` lines".
@Suite struct BackfillProgressLineTests {
    let step: PlannedStep = {
        let migration = Migration(kind: .versioned, version: "2", description: "fill", script: "V2__fill.sql", sql: "")
        return PlannedStep(migration: migration, type: .of(migration), reason: .pending)
    }()

    private func progress(rows: Int, estimated: Int?, rate: Double, lag: Int? = nil, finished: Bool = false) -> BackfillProgress {
        BackfillProgress(table: TableName(schema: nil, name: "accounts"), line: 3, rows: rows, estimatedRows: estimated, rowsPerSecond: rate,
                         batchSize: 5_000, replicaLagMilliseconds: lag, finished: finished)
    }

    @Test func aRunningBackfillShowsItsBarRowsRateAndETA() {
        #expect(BackfillProgressLine.text(step, progress(rows: 450_000, estimated: 1_000_000, rate: 110_000))
            == "  V2__fill.sql:3  [#########-----------]   45%  450,000 of ~1,000,000 rows  110,000 rows/s  ETA 5 s")
    }

    @Test func withoutAnEstimateThereIsNoBarAndNoETA() {
        #expect(BackfillProgressLine.text(step, progress(rows: 1_234, estimated: nil, rate: 99.6)) == "  V2__fill.sql:3  1,234 rows  100 rows/s")
    }

    @Test func aWaitForAReplicaAndTheEndAreSaid() {
        #expect(BackfillProgressLine.text(step, progress(rows: 10, estimated: 100, rate: 5, lag: 7_200)).hasSuffix("5 rows/s  waiting: replica 7200 ms behind"))
        #expect(BackfillProgressLine.text(step, progress(rows: 1_000_000, estimated: 990_000, rate: 80_000, finished: true))
            == "  V2__fill.sql:3  [####################]  100%  1,000,000 rows  80,000 rows/s  done")
    }

    @Test func aBackfillSlowedForTheApplicationSaysSo() {
        var slowed = progress(rows: 450_000, estimated: 1_000_000, rate: 110_000)
        (slowed.busySessions, slowed.busyLimit) = (6.25, 4)
        #expect(BackfillProgressLine.text(step, slowed).hasSuffix("ETA 5 s  slowed: 6.3 application sessions busy (over 4)"))
        let json = BackfillProgressLine.JSON(step, slowed)
        #expect(json.busySessions == 6.3 && json.busyLimit == 4)
        slowed.busySessions = 3.9
        #expect(BackfillProgressLine.text(step, slowed).hasSuffix("ETA 5 s"), "under the limit")
    }

    /// The estimate covers a ctid backfill's first walk: its sweeps say which they are instead
    /// of a full bar and no time left.
    @Test func aSweepSaysWhichItIsInsteadOfAShareAndATimeLeft() {
        var sweeping = progress(rows: 1_000_012, estimated: 1_000_000, rate: 90_000)
        sweeping.sweep = 2
        #expect(BackfillProgressLine.text(step, sweeping)
            == "  V2__fill.sql:3  1,000,012 rows  90,000 rows/s  sweep 2 of at most 3: rows the application moved behind the walk")
        let json = BackfillProgressLine.JSON(step, sweeping)
        #expect(json.sweep == 2 && json.secondsRemaining == nil)
        #expect(BackfillProgressLine.JSON(step, progress(rows: 1, estimated: 2, rate: 1)).sweep == nil)
    }

    @Test func theJSONLineNamesTheEventAndItsFields() throws {
        let line = BackfillProgressLine.JSON(step, progress(rows: 450_000, estimated: 1_000_000, rate: 110_000))
        #expect(line.event == "backfill_progress" && line.script == "V2__fill.sql" && line.table == "accounts")
        #expect(line.secondsRemaining == 5 && line.rowsPerSecond == 110_000 && line.batchSize == 5_000 && !line.finished)
    }
}
