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
        do throws(LibpqOnly) {
            guard let string = ConnectionString.parse(conninfo) else { throw LibpqOnly("libpq explains what is wrong in the connection string") }
            let caller = ["user": user, "password": password, "dbname": database, "fallback_application_name": fallbackApplicationName]
            let settings = try ConnectionSettings(caller: caller.compactMapValues { $0 }, string: string, environment: environment)
            return .wire(try resolve(settings, systemUser: systemUser, homeDirectory: homeDirectory))
        } catch {
            return .libpq(reason: error.reason)
        }
    }

    private static func resolve(_ settings: ConnectionSettings, systemUser: String, homeDirectory: String?) throws(LibpqOnly) -> WireConnectionOptions {
        guard let host = settings["host"] else { throw LibpqOnly("no host is given, so libpq's compiled-in socket directory applies") }
        guard !host.contains(","), !host.hasPrefix("@") else { throw LibpqOnly("the host is a list or an abstract socket") }
        let portText = settings["port"] ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else { throw LibpqOnly("the port is a list or not a port number") }
        guard let sslMode = SSLMode(rawValue: settings.raw("sslmode") ?? "prefer") else {
            throw LibpqOnly("sslmode is not disable, allow or prefer")
        }
        let endpoint: Endpoint = host.hasPrefix("/") ? .socket(path: "\(host)/.s.PGSQL.\(port)") : .tcp(host: host, port: port)
        try checkSessionSettings(settings, endpoint: endpoint)
        var connectTimeout: Int?
        if let text = settings["connect_timeout"] {
            guard let seconds = Int(text) else { throw LibpqOnly("connect_timeout is not a whole number") }
            connectTimeout = seconds <= 0 ? nil : max(seconds, 2)
        }
        let user = settings["user"] ?? systemUser
        guard !user.isEmpty else { throw LibpqOnly("no user is given and the system user is unknown") }
        let database = settings["dbname"] ?? user
        var password = settings["password"]
        if password == nil, let path = settings["passfile"] ?? homeDirectory.map({ "\($0)/.pgpass" }), let file = PasswordFile(path: path) {
            password = try passwordFromFile(file, endpoint: endpoint, host: host, port: portText, database: database, user: user)
        }
        guard password?.unicodeScalars.allSatisfy(\.isASCII) ?? true else { throw LibpqOnly("the password is not ASCII, so SCRAM needs SASLprep") }
        return WireConnectionOptions(
            endpoint: endpoint, host: host, port: port, user: user, database: database, password: password, sslMode: sslMode,
            connectTimeout: connectTimeout, applicationName: settings["application_name"] ?? settings["fallback_application_name"],
            options: settings["options"])
    }

    /// GSSAPI encryption, the kind of server wanted and the client encoding: only libpq's
    /// defaults (or what comes to the same) are the wire client's.
    private static func checkSessionSettings(_ settings: ConnectionSettings, endpoint: Endpoint) throws(LibpqOnly) {
        switch settings.raw("gssencmode") ?? "prefer" {
        case "disable": break
        case "prefer":
            if case .tcp = endpoint, settings.environment["KRB5CCNAME"] != nil {
                throw LibpqOnly("gssencmode=prefer with Kerberos credentials (KRB5CCNAME) tries GSSAPI encryption")
            }
        default: throw LibpqOnly("gssencmode is not disable or prefer")
        }
        guard (settings.raw("target_session_attrs") ?? "any") == "any" else { throw LibpqOnly("target_session_attrs is not `any`") }
        if let encoding = settings["client_encoding"], encoding.lowercased().filter({ $0.isLetter || $0.isNumber }) != "utf8" {
            throw LibpqOnly("client_encoding is not UTF8")
        }
    }

    /// The file's password; an empty one is none, to libpq as to the server.
    private static func passwordFromFile(_ file: PasswordFile, endpoint: Endpoint, host: String, port: String, database: String,
                                         user: String) throws(LibpqOnly) -> String? {
        let found = file.password(host: host, port: port, database: database, user: user)
        // libpq reads a socket directory as `localhost` only if it is its compiled-in default.
        if case .socket = endpoint, found != file.password(host: "localhost", port: port, database: database, user: user) {
            throw LibpqOnly("the password file's entry depends on libpq's default socket directory")
        }
        return found?.isEmpty == false ? found : nil
    }
}

/// Why libpq must open a connection.
private struct LibpqOnly: Error {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}

/// The settings from their three sources: the caller's, the connection string's, the environment's.
private struct ConnectionSettings {
    let given: [String: String]
    let environment: [String: String]

    /// The keywords the wire client handles, with the environment variable each falls back to.
    private static let keywords: [String: String?] = [
        "host": "PGHOST", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD",
        "passfile": "PGPASSFILE", "sslmode": "PGSSLMODE", "application_name": "PGAPPNAME", "fallback_application_name": nil,
        "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "gssencmode": "PGGSSENCMODE",
        "target_session_attrs": "PGTARGETSESSIONATTRS", "client_encoding": "PGCLIENTENCODING",
    ]

    /// Refuses a keyword or an environment variable for something the wire client does not do.
    init(caller: [String: String], string: [String: String], environment: [String: String]) throws(LibpqOnly) {
        if let keyword = string.keys.sorted().first(where: { Self.keywords[$0] == nil }) {
            throw LibpqOnly("the connection string sets `\(keyword)`")
        }
        if let variable = environment.keys.sorted().first(where: Self.isLibpqOnly) {
            throw LibpqOnly("\(variable) is set")
        }
        // libpq skips an empty value in its keyword arrays, so an empty argument is no override.
        given = caller.filter { !$0.value.isEmpty }.merging(string) { argument, _ in argument }
        self.environment = environment
    }

    /// The value as given, perhaps empty: libpq refuses an empty `sslmode`, `gssencmode` or
    /// `target_session_attrs`.
    func raw(_ keyword: String) -> String? {
        given[keyword] ?? Self.keywords[keyword]?.flatMap { environment[$0] }
    }

    /// The value, an empty one meaning the default.
    subscript(keyword: String) -> String? {
        raw(keyword).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The variables libpq reads for settings the wire client does not handle.
    private static func isLibpqOnly(_ variable: String) -> Bool {
        (variable.hasPrefix("PGSSL") && variable != "PGSSLMODE") || [
            "PGSERVICE", "PGSERVICEFILE", "PGHOSTADDR", "PGREQUIRESSL", "PGREQUIREPEER", "PGKRBSRVNAME", "PGGSSLIB",
            "PGGSSDELEGATION", "PGDATESTYLE", "PGTZ", "PGGEQO", "PGSYSCONFDIR", "PGREQUIREAUTH", "PGCHANNELBINDING",
            "PGLOADBALANCEHOSTS", "PGMAXPROTOCOLVERSION", "PGMINPROTOCOLVERSION",
        ].contains(variable)
    }
}
