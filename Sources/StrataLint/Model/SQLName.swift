/// Identifiers in the SQL the findings suggest.
enum SQLName {
    /// `name` as an identifier: bare when PostgreSQL reads it back unchanged, quoted otherwise.
    static func quoted(_ name: String) -> String {
        let bare = name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || $0 == "$" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return bare ? name : "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// Comma-separated quoted names.
    static func list(_ names: [String]) -> String {
        names.map(quoted).joined(separator: ", ")
    }
}
