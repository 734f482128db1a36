/// `${name}` values replaced in migration SQL before it runs, as Flyway does.
///
/// Versioned migrations keep the checksum of their raw text, so changing a value does not
/// invalidate what was applied; repeatable migrations take the checksum of the replaced text,
/// so changing a value runs them again.
///
/// ```swift
/// let placeholders = Placeholders(values: ["shop_name": "Strata Books"], builtIns: ["user": "deploy"])
/// let catalog = try placeholders.apply(to: try LocationReader.read(locations: ["migrations"]))
/// ```
///
/// A file opts out with `-- strata:placeholders=false` in its header.
public struct Placeholders: Sendable, Equatable {
    /// User values, from the configuration or `-p name=value`.
    public var values: [String: String]
    /// `strata:user`, `strata:database`, `strata:schema`, `strata:table` and `strata:timestamp`
    /// (without the `strata:` prefix); `strata:filename` is each file's own name.
    public var builtIns: [String: String]

    /// Values to replace `${name}` with.
    ///
    /// - Parameters:
    ///   - values: the user's values, by name.
    ///   - builtIns: the `strata:` values, by name without the prefix (`user`, `database`, …).
    public init(values: [String: String] = [:], builtIns: [String: String] = [:]) {
        self.values = values
        self.builtIns = builtIns
    }

    /// The catalog with every placeholder replaced; every unresolved one is reported, with
    /// its file and line, before anything runs. `leavingUnresolved`: for reports that run no
    /// migration (`info`, `validate`), a placeholder that has no value stays as written instead:
    /// a versioned checksum covers the raw text anyway, and values that only a deploy knows are
    /// not needed to read the history (a repeatable's checksum covers its values, so without
    /// them it reads as changed).
    public func apply(to catalog: Catalog, leavingUnresolved: Bool = false) throws(CatalogError) -> Catalog {
        var problems: [CatalogProblem] = []
        var migrations: [Migration] = []
        for migration in catalog.all {
            do throws(CatalogProblem) {
                // Callbacks run in those reports too (`beforeValidate`): theirs are always needed.
                migrations.append(try apply(to: migration, leavingUnresolved: leavingUnresolved && migration.kind != .callback))
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else { throw CatalogError(problems: problems) }
        return try Catalog(migrations)
    }

    /// The migration with its placeholders replaced, its text then held in memory; one without
    /// `${` is returned as it is, without reading its file.
    func apply(to migration: Migration, leavingUnresolved: Bool = false) throws(CatalogProblem) -> Migration {
        guard migration.mentionsPlaceholders else { return migration }
        let raw: String
        do throws(CatalogError) {
            raw = try migration.sql
        } catch {
            throw error.problems[0]
        }
        let directives: ScriptDirectives
        do {
            directives = try ScriptDirectives.parse(raw).merged(with: migration.directives)
        } catch {
            throw CatalogProblem(path: migration.path, message: "line \(error.line): `\(error.directive)` is not a Strata directive")
        }
        guard directives.placeholders != false else { return migration }
        let fileName = migration.script.split(separator: "/").last.map(String.init) ?? migration.script
        let sql = try replace(in: raw, fileName: fileName, path: migration.path, leavingUnresolved: leavingUnresolved)
        return Migration(
            kind: migration.kind, version: migration.version, description: migration.description, script: migration.script,
            folder: migration.folder, checksum: migration.kind == .repeatable ? FlywayChecksum.of(sql) : migration.checksum,
            sql: sql, directives: migration.directives)
    }

    /// `leavingUnresolved`: a placeholder without a value stays as written; every other problem
    /// (a `${` never closed) is still one.
    private func replace(in sql: String, fileName: String, path: String, leavingUnresolved: Bool) throws(CatalogProblem) -> String {
        var output = ""
        var rest = Substring(sql)
        var line = 1
        while let start = rest.firstRange(of: "${") {
            let before = rest[..<start.lowerBound]
            output += before
            line += before.filter { $0 == "\n" || $0 == "\r\n" }.count
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw CatalogProblem(path: path, message: "line \(line): `${` opens a placeholder that never closes; write `}` after its name")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = value(of: name, fileName: fileName) ?? (leavingUnresolved ? "${\(name)}" : nil) else {
                let known = values.keys.sorted().joined(separator: ", ")
                throw CatalogProblem(
                    path: path,
                    message: "line \(line): the placeholder ${\(name)} has no value. Give it one with `-p \(name)=VALUE` or in strata.toml [placeholders]\(known.isEmpty ? "" : " (known: \(known))"), or add `-- strata:placeholders=false` to the file's header to keep the text as it is")
            }
            output += value
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    private func value(of name: String, fileName: String) -> String? {
        if let value = values[name] { return value }
        guard name.hasPrefix("strata:") else { return nil }
        let builtIn = String(name.dropFirst("strata:".count))
        return builtIn == "filename" ? fileName : builtIns[builtIn]
    }
}
