import Strata
import StrataSchema

/// Where `strata new --rename-column` and `--change-type` read the old column's definition.
public enum ColumnDefinitionSource: Sendable, Equatable {
    /// The schema the migrations folders build, replayed on a scratch database of a PostgreSQL
    /// server: what the new migrations will run after, whatever state a database is in.
    case migrations(folders: [String], server: DatabaseURL)
    /// A live PostgreSQL database, read only.
    case database(DatabaseURL)
}

extension StrataConfiguration {
    /// `replacement` carrying the old column's definition as `source` has it. After a type
    /// change, the restated constraints, indexes and default are first tried on the new type
    /// on a scratch database (never the live one), so that one that does not fit is refused
    /// here, by name, rather than failing half way through the migrations.
    public func carrying(_ replacement: ColumnReplacement, from source: ColumnDefinitionSource) throws -> ColumnReplacement {
        switch source {
        case .migrations(let folders, let server):
            return try replaying(folders, on: server) { schema, database in
                let carried = try Self.carrying(replacement, from: schema, source: "the schema the migrations build")
                try Self.tryOut(carried, on: database)
                return carried
            }
        case .database(let url):
            let carried = try Self.carrying(replacement, from: try introspect(try open(url, create: false)), source: "the database")
            if !carried.trial.isEmpty { try withSchemaCopy { try Self.tryOut(carried, on: $0) } }
            return carried
        }
    }

    private static func carrying(_ replacement: ColumnReplacement, from schema: Schema, source: String) throws -> ColumnReplacement {
        do {
            return try replacement.carrying(from: schema, source: source)
        } catch {
            throw ConfigurationError(error.description)
        }
    }

    /// Runs the replacement's trial in a transaction that is always rolled back.
    private static func tryOut(_ replacement: ColumnReplacement, on database: any Database) throws {
        struct Undo: Error {}
        do {
            try database.inTransaction {
                for step in replacement.trial {
                    do {
                        try database.execute(step.sql, [])
                    } catch let error as DatabaseError {
                        throw ConfigurationError(
                            "Restating \(replacement.table).\(replacement.oldColumn)'s definition on \(replacement.newColumn) (\(replacement.newType ?? "")) fails at \(step.what): PostgreSQL says \"\(error.message)\" to `\(step.sql)`. "
                                + "Change or drop it before the type change, or pass --definition-from none and give \(replacement.newColumn) its definition by hand.")
                    }
                }
                throw Undo()
            }
        } catch is Undo {}
    }
}
