/// The callbacks around each step of a run: before, after, and after an error.
typealias EachStepCallbacks = (before: CallbackEvent, after: CallbackEvent, error: CallbackEvent)

/// SQL callbacks: files named after events, run when those events happen.
extension Migrator {
    /// Runs `body` between the `before` and `after` callbacks, or the `error` ones when it throws.
    func around<T>(_ before: CallbackEvent, _ after: CallbackEvent, _ error: CallbackEvent, _ body: () throws -> T) throws -> T {
        try fire(before)
        let result: T
        do {
            result = try body()
        } catch let failure {
            try fire(error, after: failure)
            throw failure
        }
        try fire(after)
        return result
    }

    /// Runs an error event's callbacks after `failure`; when one of them fails too, the error
    /// says both, so neither is lost.
    func fire(_ event: CallbackEvent, after failure: any Error) throws {
        do {
            try fire(event)
        } catch let callbackFailure as CallbackFailedError {
            throw ErrorCallbackFailedError(original: failure, callbackFailure: callbackFailure)
        }
    }

    /// Runs an event's SQL callbacks, inside the current transaction if there is one.
    func fire(_ event: CallbackEvent?) throws {
        guard let event else { return }
        for callback in catalog.callbacks(for: event) {
            rehearsal?.note("callback " + callback.path)
            do throws(ScriptError) {
                try database.executeScript(try Self.text(of: callback))
            } catch {
                throw CallbackFailedError(callback: callback, failure: error, engine: database.dialect.name)
            }
            onEvent(.callback(callback))
        }
    }
}
