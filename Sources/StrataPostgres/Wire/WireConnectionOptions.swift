/// What libpq 15 would connect with, for the settings the wire client supports: one host (a
/// socket directory or a TCP host), no TLS required, password or SCRAM authentication.
struct WireConnectionOptions: Equatable {
    enum Endpoint: Equatable {
        /// The socket file: the directory + `/.s.PGSQL.<port>`.
        case socket(path: String)
        case tcp(host: String, port: Int)
    }

    /// The `sslmode`s under which a connection may go without TLS; the client asks for TLS
    /// only under `prefer` and `allow`, and goes on in clear text when the server refuses.
    enum SSLMode: String, Equatable {
        case disable, allow, prefer
    }

    struct StartupParameter: Equatable {
        let name: String
        let value: String
    }

    var endpoint: Endpoint
    /// The socket directory or host name as given, for messages.
    var host: String
    var port: Int
    var user: String
    var database: String
    /// The first given of: the caller's, the connection string's, `PGPASSWORD`, the password
    /// file's; nil if none is, or only an empty one.
    var password: String?
    var sslMode: SSLMode
    /// Seconds to wait for the connection as a whole; nil waits as long as the system does.
    var connectTimeout: Int?
    /// `application_name`, else `fallback_application_name`.
    var applicationName: String?
    /// Command-line options for the server session (`-c search_path=app`).
    var options: String?

    /// The startup message's parameters, in libpq's order.
    var startupParameters: [StartupParameter] {
        [StartupParameter(name: "user", value: user), StartupParameter(name: "database", value: database)]
            + (options.map { [StartupParameter(name: "options", value: $0)] } ?? [])
            + (applicationName.map { [StartupParameter(name: "application_name", value: $0)] } ?? [])
            + [StartupParameter(name: "client_encoding", value: "UTF8")]
    }
}

extension WireConnectionOptions: CustomStringConvertible {
    /// Where and as whom, without the password.
    var description: String {
        "\(user)@\(host):\(port)/\(database) (sslmode=\(sslMode.rawValue)\(password == nil ? "" : ", with a password"))"
    }
}
