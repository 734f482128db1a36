import Strata

/// The bounds of the numbers a configuration carries. `strata` checks its configuration file
/// against the same bounds with the file and line; a program that builds a configuration in
/// code gets this check when a database is opened, before anything runs, instead of an error
/// from the server halfway through a run (or a backfill that never pauses).
extension StrataConfiguration {
    /// PostgreSQL's limit for `lock_timeout` and `statement_timeout`: the largest number of
    /// milliseconds a configuration may carry (`strata.toml` is checked against it too).
    package static let maximumMilliseconds = Int(Int32.max)

    /// - Throws: ``ConfigurationError`` naming the first property out of its bounds.
    func checkRanges() throws(ConfigurationError) {
        let milliseconds = 1...Self.maximumMilliseconds
        try check("lockRetry.lockTimeoutMilliseconds", lockRetry.lockTimeoutMilliseconds, milliseconds)
        try check("lockRetry.maximumLockTimeoutMilliseconds", lockRetry.maximumLockTimeoutMilliseconds, milliseconds)
        try check("lockRetry.retries", lockRetry.retries, 0...Int.max)
        try check("lockRetry.statementTimeoutMilliseconds", lockRetry.statementTimeoutMilliseconds, milliseconds)
        try check("lockRetry.blockerWaitMilliseconds", lockRetry.blockerWaitMilliseconds, 0...Int.max)
        try check("backfill.batchMilliseconds", backfill.batchMilliseconds, milliseconds)
        try check("backfill.firstBatchSize", backfill.firstBatchSize, 1...Int.max)
        try check("backfill.maximumBatchSize", backfill.maximumBatchSize, 1...Int.max)
        try check("backfill.maximumReplicaLagMilliseconds", backfill.maximumReplicaLagMilliseconds, 0...Self.maximumMilliseconds)
        try check("backfill.maximumBusySessions", backfill.maximumBusySessions, 1...Int.max)
        if !(0...1_000).contains(backfill.pauseFraction) {
            throw ConfigurationError("backfill.pauseFraction = \(backfill.pauseFraction) cannot be used: it must be a fraction of a batch's time from 0 to 1000.")
        }
        if let lockWait, lockWait < .zero {
            throw ConfigurationError("lockWait = \(lockWait) cannot be used: it must be zero or more (nil waits as long as it takes).")
        }
    }

    private func check(_ name: String, _ value: Int?, _ bounds: ClosedRange<Int>) throws(ConfigurationError) {
        guard let value, !bounds.contains(value) else { return }
        let allowed = bounds.upperBound == Int.max ? "\(bounds.lowerBound) or more" : "from \(bounds.lowerBound) to \(bounds.upperBound)"
        throw ConfigurationError("\(name) = \(value) cannot be used: it must be \(allowed).")
    }
}
