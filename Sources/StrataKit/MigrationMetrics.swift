import Metrics
import Strata

/// Turns what a migrator does into swift-metrics values, so whatever backend the app has
/// bootstrapped (Prometheus, StatsD, OpenTelemetry) sees them. ``StrataConfiguration`` makes
/// every migrator it opens report through one of these.
///
/// - `strata_migrations_applied_total`, `strata_migrations_failed_total`, `strata_lock_retries_total`
/// - `strata_step_duration_seconds` (a timer, by `kind`: versioned, repeatable, undo…)
/// - `strata_lock_wait_seconds`: how long the migration lock took to get
/// - `strata_pending_migrations`: set by ``recordPending(_:)`` (`status`, `check`, `info`)
public struct MigrationMetrics: Sendable {
    /// A recorder; it holds no state, so any number of them report to the same metrics.
    public init() {}

    /// Counts applied and failed migrations and lock retries (from zero once the run holds its
    /// lock), and times each step and the lock wait; other events are ignored.
    public func record(_ event: MigrationEvent) {
        switch event {
        case .applied(let step, let milliseconds):
            Counter(label: "strata_migrations_applied_total").increment()
            Timer(label: "strata_step_duration_seconds", dimensions: [("kind", step.migration.kind.rawValue)])
                .recordMilliseconds(milliseconds)
        case .failed:
            Counter(label: "strata_migrations_failed_total").increment()
        case .lockRetry:
            Counter(label: "strata_lock_retries_total").increment()
        case .lockAcquired(let waited):
            Timer(label: "strata_lock_wait_seconds").recordMilliseconds(waited)
            // The counters start at zero with the run, so that a scrape sees them before the
            // first failure or retry (Prometheus's rate() needs that first sample).
            Counter(label: "strata_migrations_failed_total").increment(by: 0)
            Counter(label: "strata_lock_retries_total").increment(by: 0)
        default:
            break
        }
    }

    /// How many migrations are pending, for a deploy gate or an alert to watch.
    public func recordPending(_ count: Int) {
        Gauge(label: "strata_pending_migrations").record(count)
    }
}
