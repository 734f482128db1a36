import Foundation
import StrataSchema

/// Liquibase's generic column types written the way Liquibase writes them for each engine
/// (`BOOLEAN`, `DATETIME`, `CLOB`, `UUID`, `java.sql.Types.*`…), so a changelog builds the same
/// columns under Strata as under Liquibase. Types Liquibase does not know pass through as written.
enum LiquibaseType {
    /// The type for `flavor`, and whether the type itself asks for an auto-increment
    /// (`serial`, `bigserial`).
    static func sql(_ written: String, flavor: SQLFlavor) -> (type: String, autoIncrement: Bool) {
        let (base, parameters, suffix) = parts(written)
        let size = parameters.map { "(" + $0 + ")" } ?? ""
        func same() -> String { written.trimmingCharacters(in: .whitespaces) }
        switch flavor {
        case .postgresql:
            let (type, autoIncrement) = postgres(base, parameters, size, written: same())
            return (type.hasSuffix(suffix) ? type : type + suffix, autoIncrement)
        case .sqlite:
            switch base {
            case "int", "integer", "int4", "mediumint", "int2", "tinyint": return ("INTEGER", false)
            case "smallint": return ("SMALLINT", false)
            case "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2": return ("INTEGER", true)
            case "bigint", "int8", "long": return ("BIGINT", false)
            case "boolean", "bool", "bit": return ("BOOLEAN", false)
            case "varchar", "character varying", "varchar2", "nvarchar", "nvarchar2": return ("VARCHAR" + size, false)
            case "char", "character", "bpchar", "nchar": return ("CHAR" + size, false)
            case "text", "clob", "longtext", "mediumtext", "tinytext", "nclob", "longvarchar", "ntext": return ("TEXT", false)
            case "blob", "bytea", "longblob", "mediumblob", "tinyblob", "binary", "varbinary", "longvarbinary", "image":
                return ("BLOB", false)
            case "datetime", "timestamp", "timestamp without time zone", "timestamp with time zone", "timestamptz":
                return ("TEXT", false)
            case "time": return ("time", false)
            case "date": return ("date", false)
            case "double", "double precision", "float8": return ("DOUBLE", false)
            case "float": return ("FLOAT", false)
            case "real", "float4": return ("REAL", false)
            case "decimal", "dec": return ("DECIMAL" + (parameters.map { "(" + $0.replacing(",", with: ", ") + ")" } ?? ""), false)
            case "numeric", "number", "currency", "money": return ("NUMERIC" + size, false)
            case "uuid", "uniqueidentifier": return ("TEXT", false)
            default: return (same(), false)
            }
        }
    }

    private static func postgres(_ base: String, _ parameters: String?, _ size: String, written: String) -> (String, Bool) {
        switch base {
        case "int", "integer", "int4", "mediumint": return ("INTEGER", false)
        case "bigint", "int8", "long": return ("BIGINT", false)
        case "smallint", "int2", "tinyint": return ("SMALLINT", false)
        case "serial", "serial4": return ("INTEGER", true)
        case "bigserial", "serial8": return ("BIGINT", true)
        case "smallserial", "serial2": return ("SMALLINT", true)
        case "boolean", "bool": return ("BOOLEAN", false)
        case "bit": return (parameters.map { $0 == "1" ? "BIT(1)" : "BIT(\($0))" } ?? "BOOLEAN", false)
        case "varchar", "character varying", "varchar2", "nvarchar", "nvarchar2", "nchar varying":
            return ("VARCHAR" + size, false)
        case "char", "character", "bpchar", "nchar": return ("CHAR" + size, false)
        case "text", "clob", "longtext", "mediumtext", "tinytext", "nclob", "longvarchar", "longnvarchar", "ntext":
            return ("TEXT", false)
        case "blob", "bytea", "longblob", "mediumblob", "tinyblob", "binary", "varbinary", "longvarbinary", "image":
            return ("BYTEA", false)
        case "datetime", "timestamp", "timestamp without time zone", "smalldatetime", "datetime2":
            return ("TIMESTAMP" + size + " WITHOUT TIME ZONE", false)
        case "timestamp with time zone", "timestamptz", "datetimeoffset":
            return ("TIMESTAMP" + size + " WITH TIME ZONE", false)
        case "date": return ("date", false)
        case "time", "time without time zone": return ("time" + size + " WITHOUT TIME ZONE", false)
        case "time with time zone", "timetz": return ("time" + size + " WITH TIME ZONE", false)
        case "double", "double precision", "float8": return ("DOUBLE PRECISION", false)
        case "float": return ("FLOAT" + size, false)
        case "real", "float4": return ("REAL", false)
        case "decimal", "dec": return ("DECIMAL" + size, false)
        case "numeric": return ("numeric" + size, false)
        case "number": return ("NUMERIC" + size, false)
        case "currency", "money", "smallmoney": return ("DECIMAL", false)
        case "uuid", "uniqueidentifier": return ("UUID", false)
        case "xml", "xmltype": return ("XML", false)
        case "json": return ("JSON", false)
        case "jsonb": return ("JSONB", false)
        default: return (written, false)
        }
    }

    /// `timestamp (3) with time zone` as (`timestamp with time zone`, `3`, ``); `int[]` as
    /// (`int`, nil, `[]`); `java.sql.Types.VARCHAR(20)` as (`varchar`, `20`, ``).
    static func parts(_ written: String) -> (base: String, parameters: String?, suffix: String) {
        var text = written.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("java.sql.types.") { text.removeFirst("java.sql.types.".count) }
        var suffix = ""
        while text.hasSuffix("[]") || text.hasSuffix("]") {
            guard let open = text.lastIndex(of: "[") else { break }
            suffix = String(text[open...]).uppercased() + suffix
            text = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        }
        var parameters: String?
        if let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") {
            parameters = String(text[text.index(after: open)..<close]).replacing(" ", with: "")
            text = (String(text[..<open]) + " " + String(text[text.index(after: close)...])).trimmingCharacters(in: .whitespaces)
        }
        let base = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return (base, parameters, suffix)
    }
}
