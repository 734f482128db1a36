import ArgumentParser
import Strata
import StrataKit
import StrataSchema

/// `strata diff FROM TO`: the SQL that takes one schema to another.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Print the SQL that takes schema FROM to schema TO, in dependency order.",
        discussion: """
            Each side is a database URL, a migrations folder (replayed on a scratch database: SQLite \
            in memory, PostgreSQL a temporary database on --dev-url's server or the database side's, \
            dropped afterwards), or a schema SQL file (loaded into one).
            """)

    @Argument(help: "The schema to start from: a URL, a migrations folder or a .sql file.")
    var from: String

    @Argument(help: "The schema to reach: a URL, a migrations folder or a .sql file.")
    var to: String

    @OptionGroup var schemaOptions: SchemaComparisonOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let configuration = try Session(global).configuration
        let (source, target) = (try SchemaSource(parsing: from), try SchemaSource(parsing: to))
        let server = try schemaOptions.scratchServer(configuration, sides: [source, target])
        let difference = try schemaOptions.difference(
            from: try configuration.schema(of: source, scratchServer: server),
            to: try configuration.schema(of: target, scratchServer: server), flavor: server.flavor)
        for rename in difference.possibleRenames {
            Terminal.error("note: \(rename) may be a rename; pass --rename \(rename.table).\(rename.from):\(rename.to) to keep its values")
        }
        Terminal.print(difference.isEmpty ? "-- The schemas are the same." : try SchemaComparisonOptions.text(of: difference))
    }
}

/// The options of the commands that compare schemas: renames and the scratch server.
struct SchemaComparisonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A rename the comparison cannot see: table.old_column:new_column, or old_table:new_table (repeatable).", valueName: "rename"))
    var rename: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Where migrations and schema files are replayed: a PostgreSQL server (a temporary database is made there) or sqlite::memory:.",
        valueName: "url"))
    var devURL: String?

    /// `--rename` values as the diff takes them.
    func renames() throws -> SchemaRenames {
        var renames = SchemaRenames()
        for text in rename {
            let sides = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else {
                throw ValidationError("--rename '\(text)' is not table.old:new or old_table:new_table.")
            }
            let path = sides[0].split(separator: ".").map(String.init)
            if path.count == 1 {
                renames.tables[QualifiedName(path[0])] = QualifiedName(sides[1])
            } else {
                let table = QualifiedName(schema: path.count > 2 ? path[0] : nil, path[path.count - 2])
                renames.columns[table, default: [:]][path[path.count - 1]] = sides[1]
            }
        }
        return renames
    }

    /// The server for scratch databases: `--dev-url`, else a database side's, else the configured URL's.
    func scratchServer(_ configuration: StrataConfiguration, sides: [SchemaSource]) throws -> DatabaseURL {
        try Self.scratchServer(devURL: devURL, configuration, sides: sides)
    }

    static func scratchServer(devURL: String?, _ configuration: StrataConfiguration, sides: [SchemaSource]) throws -> DatabaseURL {
        if let devURL { return try DatabaseURL(parsing: devURL) }
        for case .database(let url) in sides { return url }
        return try configuration.databaseURL()
    }

    func difference(from: Schema, to: Schema, flavor: SQLFlavor) throws -> SchemaDiff {
        try Self.difference(from: from, to: to, flavor: flavor, renames: try renames())
    }

    static func difference(from: Schema, to: Schema, flavor: SQLFlavor, renames: SchemaRenames) throws -> SchemaDiff {
        do {
            return try diff(from: from, to: to, flavor: flavor, renames: renames)
        } catch {
            throw SchemaComparisonError(subject: "the two schemas", reason: error)
        }
    }

    /// The SQL of a diff, headed by a comment for each destructive change, so a reviewer sees first what loses data.
    static func text(of difference: SchemaDiff) throws -> String {
        do {
            let script = try difference.script()
            let destructive = difference.changes.filter(\.isDestructive)
            guard !destructive.isEmpty else { return script.text }
            let marks = destructive.map { change in
                // A table's columns come in parentheses already.
                let expected = change.difference.expected.hasPrefix("(") ? change.difference.expected : "(\(change.difference.expected))"
                return "-- DESTRUCTIVE: \(change.difference.object) \(expected) loses its data\n"
            }.joined()
            return marks + script.text
        } catch {
            throw SchemaComparisonError(subject: "the two schemas", reason: error)
        }
    }
}
