/// A session with a PostgreSQL server, as the driver uses it: Strata's own client of the wire
/// protocol (``WireConnection``) or libpq (``LibpqLink``) for what the former does not speak
/// (TLS, Kerberos, service files, several hosts).
///
/// Messages come back as the server or the client library wrote them: ``PostgresConnection``
/// takes the password out.
protocol PostgresLink: AnyObject {
    /// The server process serving this session, as `pg_backend_pid()` returns it.
    var backendPID: Int32 { get }
    /// Whether a transaction is open (or failed and not yet rolled back).
    var inTransaction: Bool { get }
    /// `user@host:port/database` parts for ``PostgresConnection/display``.
    var address: PostgresAddress { get }
    /// Called with each notice or warning the server sends.
    var onNotice: (_ severity: String, _ message: String) -> Void { get set }

    /// Runs one statement with text parameters (`$1`, `$2`, …), handing each row of its result
    /// to `row` as text while it reads them; returns why it failed, if it did.
    func execute(_ sql: String, _ parameters: [String?], row: ([String?]) -> Void) -> StatementFailure?

    /// Sends `sql` (one or more statements) in one simple-protocol message and waits for all
    /// of it, answering a `COPY … FROM STDIN` with `copyData`. `whenSlow` is called once if
    /// the server has not finished after 25 ms, while it still works.
    func send(_ sql: String, copyData: String?, whenSlow: (() -> Void)?) -> StatementFailure?

    /// `value` as a string literal for this session's settings, quotes included.
    func literal(_ value: String) -> String?
}

extension PostgresLink {
    /// What both clients say after a `COPY … TO STDOUT` in a migration: its rows go nowhere.
    func discardedCopyOutput(rows: Int) {
        onNotice("WARNING", "COPY … TO STDOUT sent \(rows) row\(rows == 1 ? "" : "s") that strata discards: a migration's output goes nowhere. Write them to a file on the server (COPY … TO '/path'), or remove the statement.")
    }
}

/// Why a statement failed: the server's message with its detail and hint, and its SQLSTATE;
/// or the client's message when the connection broke (no SQLSTATE).
struct StatementFailure: Error {
    let message: String
    let code: String?

    /// A server's error fields, as either client reads them.
    init(server fields: ServerFields) {
        self.init(primary: fields["M"] ?? "unknown error", detail: fields["D"], hint: fields["H"], code: fields["C"])
    }

    /// "primary (detail: …) (hint: …)".
    init(primary: String, detail: String?, hint: String?, code: String?) {
        var message = primary
        if let detail { message += " (detail: \(detail))" }
        if let hint { message += " (hint: \(hint))" }
        self.init(message: message, code: code)
    }

    init(message: String, code: String? = nil) {
        self.message = message
        self.code = code
    }
}

/// Where a session is connected, for people to read.
struct PostgresAddress {
    let user: String
    let host: String
    let port: String
    let database: String
}
