/// Why a file is not well-formed XML: what is wrong, and the line and column (counted in
/// characters, from 1) of the first thing wrong.
struct XMLSyntaxError: Error, Hashable, Sendable {
    var message: String
    var line: Int
    var column: Int
}
