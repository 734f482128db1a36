import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every value in memory and writes them in Prometheus's
/// text format, for node_exporter's textfile collector (`--metrics-file PATH`). Timers become
/// summaries (`_sum` in seconds and `_count`); gauges keep their last value.
final class PrometheusTextFile: MetricsFactory {
    private struct Key: Hashable {
        let label: String
        let dimensions: [String]
    }

    private enum Kind: String { case counter, gauge, summary }

    private let values = Mutex<[Key: (kind: Kind, value: Double, count: Int)]>([:])

    private func add(_ key: Key, _ kind: Kind, _ amount: Double, replacing: Bool = false) {
        values.withLock { values in
            let old = values[key] ?? (kind, 0, 0)
            values[key] = (kind, replacing ? amount : old.value + amount, old.count + 1)
        }
    }

    /// The metrics as Prometheus text, sorted so that two runs compare line by line.
    var text: String {
        let snapshot = values.withLock { $0 }
        var lines: [String] = []
        var typed: Set<String> = []
        for key in snapshot.keys.sorted(by: { ($0.label, $0.dimensions.joined(separator: ",")) < ($1.label, $1.dimensions.joined(separator: ",")) }) {
            let entry = snapshot[key]!
            if typed.insert(key.label).inserted { lines.append("# TYPE \(key.label) \(entry.kind.rawValue)") }
            let labels = key.dimensions.isEmpty ? "" : "{" + key.dimensions.joined(separator: ",") + "}"
            switch entry.kind {
            case .counter, .gauge:
                lines.append("\(key.label)\(labels) \(Self.number(entry.value))")
            case .summary:
                lines.append("\(key.label)_sum\(labels) \(Self.number(entry.value))")
                lines.append("\(key.label)_count\(labels) \(entry.count)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private func key(_ label: String, _ dimensions: [(String, String)]) -> Key {
        Key(label: label, dimensions: dimensions.map { name, value in
            "\(name)=\"" + value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n") + "\""
        })
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(file: self, key: key(label, dimensions), kind: .counter)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        Handler(file: self, key: key(label, dimensions), kind: .counter)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        Handler(file: self, key: key(label, dimensions), kind: .gauge)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(file: self, key: key(label, dimensions), kind: aggregate ? .summary : .gauge)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(file: self, key: key(label, dimensions), kind: .summary)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    /// One metric's handle: every kind of swift-metrics handler, writing into the file's values.
    private final class Handler: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler, TimerHandler {
        let file: PrometheusTextFile
        let key: Key
        let kind: Kind

        init(file: PrometheusTextFile, key: Key, kind: Kind) {
            self.file = file
            self.key = key
            self.kind = kind
        }

        func increment(by amount: Int64) { file.add(key, kind, Double(amount)) }
        func increment(by amount: Double) { file.add(key, kind, amount) }
        func increment() { file.add(key, kind, 1) }
        func decrement(by amount: Double) { file.add(key, kind, -amount) }
        func reset() { file.add(key, kind, 0, replacing: true) }
        func set(_ value: Int64) { file.add(key, kind, Double(value), replacing: true) }
        func set(_ value: Double) { file.add(key, kind, value, replacing: true) }
        func record(_ value: Int64) { record(Double(value)) }
        func record(_ value: Double) { file.add(key, kind, value, replacing: kind == .gauge) }
        func recordNanoseconds(_ duration: Int64) { file.add(key, kind, Double(duration) / 1e9) }
    }
}
