/// Whether Strata's own wire-protocol client can open a connection, or libpq must.
enum WireConnectionPlan: Equatable {
    case wire(WireConnectionOptions)
    /// Something the wire client does not do (TLS, services, several hosts, GSSAPI…), or an
    /// error in the settings that libpq words better. `reason` never contains a password.
    case libpq(reason: String)
}

extension WireConnectionOptions {
    /// Resolves the settings as libpq 15 does, strongest first: the caller's `user`,
    /// `password` and `database` (empty ones ignored, as libpq ignores them), the connection
    /// string, the `PG*` variables, then the defaults (port 5432, the system user, a database
    /// named like the user). A setting given but empty means its default, except where libpq
    /// refuses it. Anything the wire client cannot do as libpq would goes to libpq, so a
    /// connection behaves the same whichever client opens it.
    /// - Parameters:
    ///   - fallbackApplicationName: the application name unless one is set; it replaces the
    ///     string's `fallback_application_name`, as a later keyword does in libpq.
    ///   - homeDirectory: where `.pgpass` is, unless `passfile` or `PGPASSFILE` says otherwise.
    static func plan(conninfo: String, user: String?, password: String?, database: String?, fallbackApplicationName: String,
                     environment: [String: String], systemUser: String, homeDirectory: String?) -> WireConnectionPlan {
        guard let string = ConnectionString.parse(conninfo) else {
            return .libpq(reason: "libpq explains what is wrong in the connection string")
        }
        if let keyword = string.keys.sorted().first(where: { supportedKeywords[$0] == nil }) {
            return .libpq(reason: "the connection string sets `\(keyword)`")
        }
        if let variable = environment.keys.sorted().first(where: isLibpqOnly) {
            return .libpq(reason: "\(variable) is set")
        }
        var given = ["user": user, "password": password, "dbname": database, "fallback_application_name": fallbackApplicationName]
            .compactMapValues { $0?.isEmpty == false ? $0 : nil }
        given.merge(string) { override, _ in override }
        /// The value as given, perhaps empty: libpq refuses an empty `sslmode`, `gssencmode` or
        /// `target_session_attrs`.
        func raw(_ keyword: String) -> String? {
            given[keyword] ?? supportedKeywords[keyword]?.flatMap { environment[$0] }
        }
        /// The value, an empty one meaning the default.
        func setting(_ keyword: String) -> String? {
            raw(keyword).flatMap { $0.isEmpty ? nil : $0 }
        }

        guard let host = setting("host") else {
            return .libpq(reason: "no host is given, so libpq's compiled-in socket directory applies")
        }
        guard !host.contains(","), !host.hasPrefix("@") else { return .libpq(reason: "the host is a list or an abstract socket") }
        let portText = setting("port") ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else { return .libpq(reason: "the port is a list or not a port number") }
        guard let sslMode = SSLMode(rawValue: raw("sslmode") ?? "prefer") else { return .libpq(reason: "sslmode is not disable, allow or prefer") }
        let endpoint: Endpoint = host.hasPrefix("/") ? .socket(path: "\(host)/.s.PGSQL.\(port)") : .tcp(host: host, port: port)
        switch raw("gssencmode") ?? "prefer" {
        case "disable": break
        case "prefer":
            if case .tcp = endpoint, environment["KRB5CCNAME"] != nil {
                return .libpq(reason: "gssencmode=prefer with Kerberos credentials (KRB5CCNAME) tries GSSAPI encryption")
            }
        default: return .libpq(reason: "gssencmode is not disable or prefer")
        }
        guard (raw("target_session_attrs") ?? "any") == "any" else { return .libpq(reason: "target_session_attrs is not `any`") }
        if let encoding = setting("client_encoding"), encoding.lowercased().filter({ $0.isLetter || $0.isNumber }) != "utf8" {
            return .libpq(reason: "client_encoding is not UTF8")
        }
        var connectTimeout: Int?
        if let text = setting("connect_timeout") {
            guard let seconds = Int(text) else { return .libpq(reason: "connect_timeout is not a whole number") }
            connectTimeout = seconds <= 0 ? nil : max(seconds, 2)
        }

        let user = setting("user") ?? systemUser
        let database = setting("dbname") ?? user
        var resolvedPassword = setting("password")
        if resolvedPassword == nil, let path = setting("passfile") ?? homeDirectory.map({ "\($0)/.pgpass" }), let file = PasswordFile(path: path) {
            let found = file.password(host: host, port: portText, database: database, user: user)
            // libpq reads a socket directory as `localhost` only if it is its compiled-in default.
            if case .socket = endpoint, found != file.password(host: "localhost", port: portText, database: database, user: user) {
                return .libpq(reason: "the password file's entry depends on libpq's default socket directory")
            }
            // An empty password is none, to libpq as to the server.
            resolvedPassword = found?.isEmpty == false ? found : nil
        }
        guard resolvedPassword?.unicodeScalars.allSatisfy(\.isASCII) ?? true else {
            return .libpq(reason: "the password is not ASCII, so SCRAM needs SASLprep")
        }
        return .wire(WireConnectionOptions(
            endpoint: endpoint, host: host, port: port, user: user, database: database, password: resolvedPassword, sslMode: sslMode,
            connectTimeout: connectTimeout, applicationName: setting("application_name") ?? setting("fallback_application_name"),
            options: setting("options")))
    }

    /// The keywords the wire client handles, with the environment variable each falls back to.
    private static let supportedKeywords: [String: String?] = [
        "host": "PGHOST", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD",
        "passfile": "PGPASSFILE", "sslmode": "PGSSLMODE", "application_name": "PGAPPNAME", "fallback_application_name": nil,
        "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "gssencmode": "PGGSSENCMODE",
        "target_session_attrs": "PGTARGETSESSIONATTRS", "client_encoding": "PGCLIENTENCODING",
    ]

    /// The variables libpq reads for settings the wire client does not handle.
    private static func isLibpqOnly(_ variable: String) -> Bool {
        (variable.hasPrefix("PGSSL") && variable != "PGSSLMODE") || [
            "PGSERVICE", "PGSERVICEFILE", "PGHOSTADDR", "PGREQUIRESSL", "PGREQUIREPEER", "PGKRBSRVNAME", "PGGSSLIB",
            "PGGSSDELEGATION", "PGDATESTYLE", "PGTZ", "PGGEQO", "PGSYSCONFDIR", "PGREQUIREAUTH", "PGCHANNELBINDING",
            "PGLOADBALANCEHOSTS", "PGMAXPROTOCOLVERSION", "PGMINPROTOCOLVERSION",
        ].contains(variable)
    }
}
