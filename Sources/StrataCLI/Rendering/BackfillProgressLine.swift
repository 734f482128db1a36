import Strata

/// How `strata migrate` shows a backfill's progress: a bar on a terminal, a JSON line with
/// `--json`.
enum BackfillProgressLine {
    /// `  V2__fill.sql:3  [#########-----------]  45%  450,000 of ~1,000,000 rows  120,000 rows/s  ETA 5 s`
    static func text(_ step: PlannedStep, _ progress: BackfillProgress, width: Int = 20) -> String {
        let place = "  \(step.migration.script):\(progress.line)"
        var parts = [place]
        if let fraction = progress.fraction {
            let filled = Int((fraction * Double(width)).rounded(.down))
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]")
            parts.append(String(Int((fraction * 100).rounded(.down))).leftPadded(to: 3) + "%")
        }
        let total = progress.estimatedRows.map { " of ~\(grouped($0))" } ?? ""
        parts.append("\(grouped(progress.rows))\(progress.finished || progress.sweep > 0 ? "" : total) rows")
        parts.append("\(grouped(Int(progress.rowsPerSecond.rounded()))) rows/s")
        if let lag = progress.replicaLagMilliseconds {
            parts.append("waiting: replica \(lag) ms behind")
        } else if progress.finished {
            parts.append("done")
        } else if progress.sweep > 0 {
            parts.append("sweep \(progress.sweep) of at most \(CtidCursor.sweepLimit): rows the application moved behind the walk")
        } else if let seconds = progress.secondsRemaining {
            parts.append("ETA \(Int(seconds.rounded(.up))) s")
        }
        if progress.isSlowedForTheApplication, let busy = progress.busySessions, let limit = progress.busyLimit {
            parts.append("slowed: \(oneDecimal(busy)) application sessions busy (over \(limit))")
        }
        return parts.joined(separator: "  ")
    }

    /// The line `--json` writes to standard error.
    struct JSON: Encodable {
        let event = "backfill_progress"
        let script: String
        let line: Int
        let table: String
        let rows: Int
        let estimatedRows: Int?
        let rowsPerSecond: Int
        let secondsRemaining: Int?
        let batchSize: Int
        let replicaLagMs: Int?
        let busySessions: Double?
        let busyLimit: Int?
        let sweep: Int?
        let finished: Bool

        init(_ step: PlannedStep, _ progress: BackfillProgress) {
            script = step.migration.script
            line = progress.line
            table = progress.table.description
            rows = progress.rows
            estimatedRows = progress.estimatedRows
            rowsPerSecond = Int(progress.rowsPerSecond.rounded())
            secondsRemaining = progress.secondsRemaining.map { Int($0.rounded(.up)) }
            batchSize = progress.batchSize
            replicaLagMs = progress.replicaLagMilliseconds
            busySessions = progress.busySessions.map(oneDecimalValue)
            busyLimit = progress.busyLimit
            sweep = progress.sweep > 0 ? progress.sweep : nil
            finished = progress.finished
        }
    }

    /// `6.25` as `6.3`, `4.0` as `4`.
    static func oneDecimal(_ number: Double) -> String {
        let value = oneDecimalValue(number)
        return value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A number rounded to one decimal.
    static func oneDecimalValue(_ number: Double) -> Double {
        (number * 10).rounded() / 10
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (number < 0 ? "-" : "") + result
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
