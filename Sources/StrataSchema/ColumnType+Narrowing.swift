extension ColumnType {
    /// Whether values of `from` may not fit `to`, so that changing a column's type can lose
    /// data. Only widenings known to be safe are not narrowing: a larger integer type, a
    /// float or numeric that holds every value, a longer or unlimited string, anything to `text`.
    public static func isNarrowing(from: String, to: String) -> Bool {
        let old = SQLNormalization.type(from, .postgresql)
        let new = SQLNormalization.type(to, .postgresql)
        if old == new || new == "text" { return false }
        let (oldBase, oldParameters) = SQLNormalization.splitParameters(old)
        let (newBase, newParameters) = SQLNormalization.splitParameters(new)
        let oldSizes = sizes(oldParameters)
        let newSizes = sizes(newParameters)
        if newBase == "numeric" {
            guard let needed = integerDigits(oldBase, oldSizes) else { return true }
            return !newSizes.isEmpty && (newSizes[0] - scale(newSizes) < needed || scale(newSizes) < scale(oldSizes))
        }
        if let wider = widerTypes[oldBase] { return !wider.contains(newBase) }
        let strings: Set = ["character varying", "character"]
        if strings.contains(oldBase) && newBase == "character varying" {
            return !newSizes.isEmpty && (oldSizes.isEmpty || oldSizes[0] > newSizes[0])
        }
        return true
    }

    private static let widerTypes: [String: Set<String>] = [
        "smallint": ["integer", "bigint", "real", "double precision"],
        "integer": ["bigint", "double precision"],
        "bigint": [],
        "real": ["double precision"],
        "timestamp without time zone": ["timestamp with time zone"],
    ]

    /// The integer digits a value of a numeric type needs (nil: not an exact number type).
    private static func integerDigits(_ base: String, _ sizes: [Int]) -> Int? {
        switch base {
        case "smallint": 5
        case "integer": 10
        case "bigint": 19
        case "numeric": sizes.isEmpty ? Int.max : sizes[0] - scale(sizes)
        default: nil
        }
    }

    private static func scale(_ sizes: [Int]) -> Int { sizes.count > 1 ? sizes[1] : 0 }

    private static func sizes(_ parameters: String) -> [Int] {
        parameters.dropFirst().dropLast().split(separator: ",").compactMap { Int($0.trimmed) }
    }
}
