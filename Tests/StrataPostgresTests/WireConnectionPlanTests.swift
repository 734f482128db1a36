#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibPQ
import Foundation
@testable import StrataPostgres
import StrataTestSupport
import Testing

/// Which connections Strata's wire client opens, with what libpq 15 would resolve, and which it
/// leaves to libpq. No server needed.
@Suite struct WireConnectionPlanTests {
    private func plan(_ conninfo: String, user: String? = nil, password: String? = nil, database: String? = nil,
                      environment: [String: String] = [:], home: String? = nil) -> WireConnectionPlan {
        WireConnectionOptions.plan(conninfo: conninfo, user: user, password: password, database: database, fallbackApplicationName: "strata",
                                   environment: environment, systemUser: "me", homeDirectory: home)
    }

    private func wire(_ conninfo: String, user: String? = nil, password: String? = nil, database: String? = nil,
                         environment: [String: String] = [:], home: String? = nil) -> WireConnectionOptions? {
        guard case .wire(let options) = plan(conninfo, user: user, password: password, database: database, environment: environment, home: home) else {
            return nil
        }
        return options
    }

    private func isLibpq(_ plan: WireConnectionPlan) -> Bool {
        if case .libpq = plan { true } else { false }
    }

    @Test func aURIWithDefaultsBecomesATCPConnection() throws {
        let options = try #require(wire("postgresql://db.example/shop"))
        #expect(options == WireConnectionOptions(
            endpoint: .tcp(host: "db.example", port: 5432), host: "db.example", port: 5432, user: "me", database: "shop", password: nil,
            sslMode: .prefer, connectTimeout: nil, applicationName: "strata", options: nil))
        #expect(options.startupParameters == [
            .init(name: "user", value: "me"), .init(name: "database", value: "shop"),
            .init(name: "application_name", value: "strata"), .init(name: "client_encoding", value: "UTF8"),
        ])
    }

    @Test func aSocketDirectoryBecomesItsSocketFile() throws {
        let fromKeyValue = try #require(wire("host=/var/run/postgresql port=5433 sslmode=disable options='-c search_path=app'"))
        #expect(fromKeyValue.endpoint == .socket(path: "/var/run/postgresql/.s.PGSQL.5433"))
        #expect(fromKeyValue.host == "/var/run/postgresql" && fromKeyValue.database == "me" && fromKeyValue.sslMode == .disable)
        #expect(fromKeyValue.startupParameters.map(\.name) == ["user", "database", "options", "application_name", "client_encoding"])
        #expect(fromKeyValue.startupParameters[2].value == "-c search_path=app")
        #expect(wire("postgresql://%2Ftmp:5434/db")?.endpoint == .socket(path: "/tmp/.s.PGSQL.5434"))
        #expect(wire("postgresql:///db?host=/tmp")?.endpoint == .socket(path: "/tmp/.s.PGSQL.5432"))
        #expect(wire("postgresql://[::1]:6000/db")?.endpoint == .tcp(host: "::1", port: 6000))
    }

    @Test func theCallerBeatsTheStringWhichBeatsTheEnvironmentWhichBeatsTheDefaults() throws {
        let environment = ["PGHOST": "eh", "PGPORT": "2", "PGUSER": "eu", "PGPASSWORD": "ep", "PGDATABASE": "ed", "PGAPPNAME": "ea",
                           "PGOPTIONS": "-c a=b", "PGCONNECT_TIMEOUT": "7", "PGSSLMODE": "allow"]
        let caller = try #require(wire("postgresql://su:sp@sh:1/sd?application_name=sa", user: "ou", password: "op", database: "od", environment: environment))
        #expect([caller.user, caller.password, caller.database, caller.host, caller.applicationName] == ["ou", "op", "od", "sh", "sa"])
        #expect(caller.port == 1 && caller.connectTimeout == 7 && caller.sslMode == .allow && caller.options == "-c a=b")

        let string = try #require(wire("user=su password=sp dbname=sd port=1", user: "", password: "", database: "", environment: environment))
        #expect([string.user, string.password, string.database, string.host, string.applicationName] == ["su", "sp", "sd", "eh", "ea"])

        let variables = try #require(wire("", environment: environment))
        #expect([variables.user, variables.password, variables.database, variables.host] == ["eu", "ep", "ed", "eh"] && variables.port == 2)

        // libpq fails to look up the system user where this process could not either.
        #expect(isLibpq(WireConnectionOptions.plan(conninfo: "host=h", user: nil, password: nil, database: nil, fallbackApplicationName: "strata",
                                                     environment: [:], systemUser: "", homeDirectory: nil)))
        let defaults = try #require(wire("host=h"))
        #expect(defaults.user == "me" && defaults.database == "me" && defaults.port == 5432 && defaults.password == nil)
        #expect(wire("other", environment: environment)?.database == "other")
        // Given but empty in the string: the default, not the variable.
        #expect(wire("host=h user='' dbname=''", environment: ["PGUSER": "eu", "PGDATABASE": "ed"]).map { [$0.user, $0.database] } == ["me", "me"])
    }

    @Test func theOptionsDescriptionHidesThePassword() throws {
        let options = try #require(wire("postgresql://app:s3cret@db.example/shop"))
        #expect(String(describing: options) == "app@db.example:5432/shop (sslmode=prefer, with a password)")
        #expect(!String(describing: WireConnectionPlan.wire(options)).contains("s3cret"))
    }

    @Test func theApplicationNameFallsBackToTheCallers() {
        #expect(wire("host=h fallback_application_name=theirs")?.applicationName == "strata")
        #expect(wire("host=h application_name=mine")?.applicationName == "mine")
        #expect(wire("host=h application_name=''", environment: ["PGAPPNAME": "env"])?.applicationName == "strata")
    }

    @Test func theConnectTimeoutFollowsLibpqsRules() {
        #expect(wire("host=h connect_timeout=0")?.connectTimeout == nil)
        #expect(wire("host=h connect_timeout=-3")?.connectTimeout == nil)
        #expect(wire("host=h connect_timeout=1")?.connectTimeout == 2)
        #expect(wire("host=h connect_timeout=10")?.connectTimeout == 10)
        #expect(isLibpq(plan("host=h connect_timeout=soon")))
    }

    @Test(arguments: [
        "", "dbname=shop", "postgresql:///shop", "host=''", "host=a,b", "postgresql://a,b/db", "host=@abstract", "host=h port=0",
        "host=h port=99999", "host=h port=x", "host=h port=1,2", "host=h sslmode=require", "host=h sslmode=verify-ca",
        "host=h sslmode=verify-full", "host=h sslmode=bogus", "postgresql://h/db?ssl=true", "host=h hostaddr=127.0.0.1", "service=app",
        "host=h sslrootcert=ca.pem", "host=h keepalives=0", "host=h channel_binding=require", "host=h require_auth=password",
        "host=h replication=database", "host=h gssencmode=require", "host=h target_session_attrs=read-write",
        "host=h client_encoding=LATIN1", "host=h client_encoding=auto", "host=h bogus=1", "host=h =x", "host=h port", "postgresql://h/db?bogus=1",
    ])
    func settingsTheWireClientDoesNotHandleGoToLibpq(conninfo: String) {
        #expect(isLibpq(plan(conninfo)))
    }

    @Test(arguments: ["PGSERVICE", "PGSERVICEFILE", "PGHOSTADDR", "PGREQUIRESSL", "PGSSLCERT", "PGSSLROOTCERT", "PGKRBSRVNAME", "PGTZ",
                      "PGDATESTYLE", "PGGEQO", "PGSYSCONFDIR", "PGREQUIREAUTH", "PGCHANNELBINDING", "PGLOADBALANCEHOSTS"])
    func variablesForSettingsTheWireClientDoesNotHandleGoToLibpq(variable: String) {
        #expect(isLibpq(plan("host=h", environment: [variable: "x"])))
    }

    @Test func environmentValuesFollowTheKeywordsRules() {
        #expect(wire("host=h", environment: ["PGDATA": "/data", "PGSSLMODE": "disable"])?.sslMode == .disable)
        #expect(isLibpq(plan("", environment: ["PGHOST": ""])))
        // Empty means the default for some settings, and is an error in others.
        #expect(wire("host=h port='' passfile='' options='' application_name='' client_encoding='' connect_timeout=''")?.port == 5432)
        for setting in ["sslmode", "gssencmode", "target_session_attrs"] {
            #expect(isLibpq(plan("host=h \(setting)=''")), "\(setting)")
        }
        #expect(isLibpq(plan("host=h", environment: ["PGSSLMODE": ""])))
        #expect(isLibpq(plan("host=h", environment: ["PGSSLMODE": "require"])))
        #expect(isLibpq(plan("host=h", environment: ["PGGSSENCMODE": "require"])))
        #expect(isLibpq(plan("host=h", environment: ["PGCLIENTENCODING": "SQL_ASCII"])))
        #expect(isLibpq(plan("host=h", environment: ["PGTARGETSESSIONATTRS": "primary"])))
        #expect(wire("host=h", environment: ["PGCLIENTENCODING": "utf-8", "PGTARGETSESSIONATTRS": "any", "PGGSSENCMODE": "disable"]) != nil)
        #expect(wire("host=h client_encoding=UTF8 target_session_attrs=any gssencmode=prefer") != nil)
    }

    @Test func kerberosCredentialsSendTCPConnectionsThatPreferGSSAPIToLibpq() {
        let kerberos = ["KRB5CCNAME": "FILE:/tmp/krb5cc_1000"]
        #expect(isLibpq(plan("host=db.example", environment: kerberos)))
        #expect(wire("host=db.example gssencmode=disable", environment: kerberos) != nil)
        #expect(wire("host=/tmp", environment: kerberos) != nil)
    }

    @Test func aPasswordThatIsNotASCIIGoesToLibpqWithoutBeingNamed() {
        for plan in [plan("host=h", password: "pässword"), plan("host=h password=pässword"), plan("host=h", environment: ["PGPASSWORD": "pässword"])] {
            guard case .libpq(let reason) = plan else {
                Issue.record("a non-ASCII password must go to libpq")
                continue
            }
            #expect(!reason.contains("pässword"))
        }
    }

    @Test func thePasswordFileIsReadOnlyWhenNoPasswordIsGivenAndOnlyIfPrivate() throws {
        let folder = TemporaryFolder()
        let home = folder.path
        func save(_ name: String, _ text: String, mode: mode_t = 0o600) {
            chmod(folder.write(name, text), mode)
        }
        save(".pgpass", "db.example:5432:shop:app:from\\:home\n*:*:*:*:any\n")
        save("other", "*:*:*:*:other\n")
        save("third", "*:*:*:*:third\n")
        #expect(wire("postgresql://app@db.example/shop", home: home)?.password == "from:home")
        #expect(wire("postgresql://bob@db.example/shop", home: home)?.password == "any")
        #expect(wire("postgresql://app:given@db.example/shop", home: home)?.password == "given")
        #expect(wire("postgresql://app@db.example/shop", environment: ["PGPASSWORD": "env"], home: home)?.password == "env")
        #expect(wire("host=db.example", environment: ["PGPASSFILE": home + "/other"], home: home)?.password == "other")
        #expect(wire("host=db.example passfile=\(home)/third", environment: ["PGPASSFILE": home + "/other"], home: home)?.password == "third")
        #expect(wire("host=db.example").map { $0.password == nil } == true)
        // The same entry for the socket directory and `localhost`: libpq's default directory does not matter.
        #expect(wire("host=/tmp", home: home)?.password == "any")

        save(".pgpass", "localhost:*:*:*:local\n*:*:*:*:any\n")
        #expect(isLibpq(plan("host=/tmp", home: home)))
        #expect(wire("host=localhost", home: home)?.password == "local")

        save(".pgpass", "*:*:*:*:\n")
        #expect(wire("host=db.example", home: home).map { $0.password == nil } == true)

        save(".pgpass", "*:*:*:*:any\n", mode: 0o644)
        #expect(wire("host=db.example", home: home).map { $0.password == nil } == true)
    }

    /// libpq itself as the oracle: the settings passed as PostgresConnection passes them, to a
    /// socket directory that does not exist (so nothing connects), then the user, database,
    /// password, host and port libpq resolved. Both see this process's environment.
    @Test(.enabled(if: strata_libpq_available() == 1, "libpq is not installed"))
    func resolvesWhatLibpqResolves() throws {
        let folder = TemporaryFolder()
        let passfile = folder.write("pgpass", "*:5432:*:*:from\\:file\n*:6001:*:x:six\n")
        chmod(passfile, 0o600)
        let environment = ProcessInfo.processInfo.environment
        let systemUser = String(cString: getpwuid(geteuid()).pointee.pw_name)
        let home = environment["HOME"]
        // A variable only libpq handles (PGSERVICE, PGSSLMODE=require…) sends every case to libpq: nothing to compare.
        guard case .wire = WireConnectionOptions.plan(conninfo: "host=/nonexistent-strata", user: nil, password: nil, database: nil,
                                                      fallbackApplicationName: "strata", environment: environment, systemUser: systemUser,
                                                      homeDirectory: home)
        else { return }
        let cases: [(conninfo: String, user: String?, password: String?, database: String?)] = [
            ("host=/nonexistent-strata", nil, nil, nil),
            ("postgresql://u:p@%2Fnonexistent-strata:6000/db", nil, nil, nil),
            ("postgresql:///db?host=/nonexistent-strata&user=q", "ou", "op", "od"),
            ("postgresql:///db?host=/nonexistent-strata&user=q", "", "", ""),
            ("host=/nonexistent-strata user='' dbname=''", nil, nil, nil),
            ("host=/nonexistent-strata passfile=\(passfile)", nil, nil, nil),
            ("host=/nonexistent-strata port=6001 user=x passfile=\(passfile)", nil, nil, "other"),
            ("host=/nonexistent-strata port=6001 user=x password=given passfile=\(passfile)", nil, nil, nil),
        ]
        for (conninfo, user, password, database) in cases {
            guard case .wire(let options) = WireConnectionOptions.plan(
                conninfo: conninfo, user: user, password: password, database: database, fallbackApplicationName: "strata",
                environment: environment, systemUser: systemUser, homeDirectory: home)
            else {
                Issue.record("\(conninfo) went to libpq")
                continue
            }
            var keywords = ["dbname"], values = [conninfo]
            for (keyword, value) in [("user", user), ("dbname", database), ("password", password)] {
                if let value {
                    keywords.append(keyword)
                    values.append(value)
                }
            }
            keywords.append("fallback_application_name")
            values.append("strata")
            let copies = (keywords + values).map { strdup($0) }
            defer { copies.forEach { free($0) } }
            let pointers = copies.map { UnsafePointer($0) }
            let connection = (pointers[..<keywords.count] + [nil]).withUnsafeBufferPointer { keywordPointers in
                (pointers[keywords.count...] + [nil]).withUnsafeBufferPointer { valuePointers in
                    PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 1)
                }
            }
            defer { PQfinish(connection) }
            let libpq = [PQuser(connection), PQdb(connection), PQpass(connection), PQhost(connection), PQport(connection)]
                .map { $0.map { String(cString: $0) } }
            let ours = [options.user, options.database, options.password ?? "", options.host, String(options.port)]
            #expect(ours == libpq.map { $0 ?? "" }, "\(conninfo)")
        }
    }
}
