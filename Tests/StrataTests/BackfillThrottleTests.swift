import Testing
@testable import Strata

@Suite struct BackfillThrottleTests {
    @Test func theBatchSizeAimsAtTheTimeBudgetFromTheMeasuredSpeed() {
        var throttle = BackfillThrottle(settings: BackfillSettings(batchMilliseconds: 50, pauseFraction: 0.1, firstBatchSize: 1_000))
        // 1,000 rows in 25 ms: 40 rows/ms, so 2,000 rows fill 50 ms.
        let next = throttle.next(after: BatchMeasurement(rows: 1_000, milliseconds: 25))
        #expect(next == BatchDecision(batchSize: 2_000, pauseMilliseconds: 3))
        // 2,000 rows in 100 ms: 20 rows/ms, so back to 1,000.
        #expect(throttle.next(after: BatchMeasurement(rows: 2_000, milliseconds: 100)).batchSize == 1_000)
    }

    @Test func oneMeasurementMovesTheSizeAtMostByHalfOrDouble() {
        var throttle = BackfillThrottle(settings: BackfillSettings(firstBatchSize: 1_000))
        #expect(throttle.next(after: BatchMeasurement(rows: 1_000, milliseconds: 1)).batchSize == 2_000)
        #expect(throttle.next(after: BatchMeasurement(rows: 2_000, milliseconds: 5_000)).batchSize == 1_000)
        // A batch too fast to time grows the next one.
        #expect(throttle.next(after: BatchMeasurement(rows: 1_000, milliseconds: 0)).batchSize == 2_000)
    }

    @Test func sessionsWaitingOnABatchHalveTheBudget() {
        var throttle = BackfillThrottle(settings: BackfillSettings(batchMilliseconds: 50, firstBatchSize: 1_000))
        // 20 rows/ms: 1,000 rows fill 50 ms, but with waiters the aim is 25 ms.
        #expect(throttle.next(after: BatchMeasurement(rows: 1_000, milliseconds: 50, blockedSessions: 2)).batchSize == 500)
        #expect(throttle.next(after: BatchMeasurement(rows: 500, milliseconds: 25)).batchSize == 1_000)
    }

    @Test func waitersAreCountedOnceASecondAndAtEveryBatchWhileThereAreSome() {
        let throttle = BackfillThrottle()
        #expect(throttle.countsWaiters(millisecondsSinceLastCount: nil, lastCountFoundWaiters: false))
        #expect(!throttle.countsWaiters(millisecondsSinceLastCount: 999, lastCountFoundWaiters: false))
        #expect(throttle.countsWaiters(millisecondsSinceLastCount: 1_000, lastCountFoundWaiters: false))
        #expect(throttle.countsWaiters(millisecondsSinceLastCount: 40, lastCountFoundWaiters: true))
    }

    @Test func aLockTimeoutHalvesTheBatchAndBacksOff() {
        var throttle = BackfillThrottle(settings: BackfillSettings(firstBatchSize: 40))
        #expect(throttle.next(afterLockTimeout: 1, backoffMilliseconds: 120) == BatchDecision(batchSize: 20, pauseMilliseconds: 120))
        #expect(throttle.next(afterLockTimeout: 2, backoffMilliseconds: 250) == BatchDecision(batchSize: 10, pauseMilliseconds: 250))
        #expect(throttle.next(afterLockTimeout: 3, backoffMilliseconds: 500).batchSize == BackfillThrottle.minimumBatchSize)
    }

    @Test func theSizeStaysWithinItsBounds() {
        var throttle = BackfillThrottle(settings: BackfillSettings(firstBatchSize: 60_000, maximumBatchSize: 100_000))
        #expect(throttle.next(after: BatchMeasurement(rows: 60_000, milliseconds: 1)).batchSize == 100_000)
        #expect(BackfillThrottle(settings: BackfillSettings(firstBatchSize: 0)).batchSize == BackfillThrottle.minimumBatchSize)
    }

    @Test func aLaggingReplicaPausesTheBackfill() {
        let throttle = BackfillThrottle(settings: BackfillSettings(maximumReplicaLagMilliseconds: 1_000))
        #expect(throttle.replicaPause(lagMilliseconds: nil) == nil)
        #expect(throttle.replicaPause(lagMilliseconds: 1_000) == nil)
        #expect(throttle.replicaPause(lagMilliseconds: 1_001) == BackfillThrottle.replicaPollMilliseconds)
        let unwatched = BackfillThrottle(settings: BackfillSettings(maximumReplicaLagMilliseconds: nil))
        #expect(unwatched.replicaPause(lagMilliseconds: 60_000) == nil)
    }

    @Test func pausesDoubleWhileTheApplicationQueuesAndHalveBackOnceItKeepsUp() {
        var throttle = BackfillThrottle(settings: BackfillSettings(pauseFraction: 0.1, firstBatchSize: 1_000, maximumBusySessions: 4))
        func pause(busy: Int) -> Int {
            throttle.next(after: BatchMeasurement(rows: 1_000, milliseconds: 100, busySessions: busy)).pauseMilliseconds
        }
        // Under the limit the pause is the settings' tenth of the batch.
        #expect(pause(busy: 2) == 10)
        // One batch at 8 moves the average to 3.8: still under.
        #expect(pause(busy: 8) == 10)
        // The next ones pass 4: a quarter of the batch, then doubling up to four times the batch.
        #expect([pause(busy: 8), pause(busy: 8), pause(busy: 8), pause(busy: 8), pause(busy: 8)] == [25, 50, 100, 200, 400])
        #expect(pause(busy: 8) == 400)
        // Back at 2, the average falls under the limit after two batches, and the pause halves back to a tenth.
        #expect([pause(busy: 2), pause(busy: 2), pause(busy: 2), pause(busy: 2), pause(busy: 2), pause(busy: 2), pause(busy: 2)] == [400, 400, 200, 100, 50, 25, 13])
        #expect([pause(busy: 2), pause(busy: 2)] == [10, 10])
    }

    @Test func withoutALimitOrACountThePauseIsTheSettings() {
        var unwatched = BackfillThrottle(settings: BackfillSettings(pauseFraction: 0.1))
        #expect(unwatched.busyLimit == nil)
        #expect(unwatched.next(after: BatchMeasurement(rows: 1_000, milliseconds: 100, busySessions: 50)).pauseMilliseconds == 10)
        var uncounted = BackfillThrottle(settings: BackfillSettings(pauseFraction: 0.1, maximumBusySessions: 1))
        #expect(uncounted.next(after: BatchMeasurement(rows: 1_000, milliseconds: 100)).pauseMilliseconds == 10)
    }

    @Test func aLongerConfiguredPauseIsNeverShortenedByTheQueue() {
        var throttle = BackfillThrottle(settings: BackfillSettings(pauseFraction: 5, maximumBusySessions: 2))
        #expect(throttle.next(after: BatchMeasurement(rows: 1_000, milliseconds: 100, busySessions: 10)).pauseMilliseconds == 500)
    }

    @Test func progressEstimatesTimeLeftFromTheRate() {
        let progress = BackfillProgress(table: TableName(schema: nil, name: "t"), line: 3, rows: 250, estimatedRows: 1_000,
                                        rowsPerSecond: 50, batchSize: 100, replicaLagMilliseconds: nil, finished: false)
        #expect(progress.secondsRemaining == 15)
        #expect(progress.fraction == 0.25)
        let unknown = BackfillProgress(table: TableName(schema: nil, name: "t"), line: 3, rows: 250, estimatedRows: nil,
                                       rowsPerSecond: 50, batchSize: 100, replicaLagMilliseconds: nil, finished: false)
        #expect(unknown.secondsRemaining == nil && unknown.fraction == nil)
        var sweeping = progress
        sweeping.sweep = 1
        #expect(sweeping.secondsRemaining == nil && sweeping.fraction == nil, "the estimate covers the first walk only")
    }
}
