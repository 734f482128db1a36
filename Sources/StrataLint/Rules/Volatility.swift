/// Whether a default can be stored once in the catalog (PostgreSQL 11's fast default) or must
/// be computed for every existing row, which rewrites the table.
enum Volatility {
    /// Functions PostgreSQL marks immutable or stable that defaults commonly call. Any other
    /// call is taken as volatile: wrongly flagging a stable one costs an ignore comment,
    /// missing a volatile one costs an outage.
    private static let nonVolatileFunctions: Set<String> = [
        "now", "transaction_timestamp", "statement_timestamp", "current_setting", "lower", "upper", "btrim", "trim",
        "length", "concat", "to_timestamp", "to_date", "make_date", "make_time", "make_timestamp", "make_timestamptz",
        "make_interval", "jsonb_build_object", "jsonb_build_array", "json_build_object", "json_build_array",
        "array_fill", "abs", "round", "date_trunc",
    ]

    /// True when `expression` is made only of constants, casts, operators and known
    /// non-volatile functions.
    static func isNonVolatile(_ expression: ParseNode) -> Bool {
        guard let type = expression.typeName, let body = expression.typed(type) else { return true }
        switch type {
        case "A_Const", "SQLValueFunction":
            return true
        case "TypeCast", "CollateClause":
            return isNonVolatile(body["arg"])
        case "A_Expr":
            return isNonVolatile(body["lexpr"]) && isNonVolatile(body["rexpr"])
        case "BoolExpr", "CoalesceExpr", "MinMaxExpr":
            return body["args"].items.allSatisfy(isNonVolatile)
        case "A_ArrayExpr":
            return body["elements"].items.allSatisfy(isNonVolatile)
        case "FuncCall":
            let name = body["funcname"].names
            return name.count == 1 && nonVolatileFunctions.contains(name[0]) && body["args"].items.allSatisfy(isNonVolatile)
        default:
            return false
        }
    }
}
