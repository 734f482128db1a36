/// The type changes PostgreSQL makes without rewriting the table: binary-coercible types and
/// modifiers that only widen (PostgreSQL 9.1 and 9.2; strong_migrations lists the same).
enum TypeChange {
    static func isBinaryCoercible(from old: ColumnType, to new: ColumnType) -> Bool {
        guard old.isArray == new.isArray else { return false }
        if old == new { return true }
        switch (old.name, new.name) {
        case ("varchar", "text"), ("cidr", "inet"):
            return true
        case ("text", "varchar"):
            return new.modifiers.isEmpty
        case ("varchar", "varchar"), ("timestamp", "timestamp"), ("timestamptz", "timestamptz"), ("time", "time"),
             ("timetz", "timetz"), ("interval", "interval"), ("varbit", "varbit"):
            return widens(old.modifiers.first, new.modifiers.first)
        case ("numeric", "numeric"):
            guard !new.modifiers.isEmpty else { return true }
            guard old.modifiers.count >= 1 else { return false }
            return new.modifiers[0] >= old.modifiers[0] && (new.modifiers.dropFirst().first ?? 0) == (old.modifiers.dropFirst().first ?? 0)
        default:
            return false
        }
    }

    /// A limit that stays, grows or goes away (no limit at all is the widest).
    private static func widens(_ old: Int?, _ new: Int?) -> Bool {
        guard let new else { return true }
        guard let old else { return false }
        return new >= old
    }
}
