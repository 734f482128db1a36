import Foundation

/// Collects messages from concurrent workers (threads, callbacks) for a test to read.
public final class ConcurrentLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    public init() {}

    public func add(_ message: String) {
        lock.withLock { messages.append(message) }
    }

    public var all: [String] { lock.withLock { messages } }
}
