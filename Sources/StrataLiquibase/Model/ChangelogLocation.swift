/// Where something was written: a changelog file and a 1-based line, so that every error and
/// every changeset can point its reader at the text to fix.
public struct ChangelogLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was opened (absolute, or relative to the working directory).
    public var file: String
    /// 1-based; 0 when the format gives no line (a whole-file problem).
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`, the form editors and terminals turn into links.
    public var description: String { line > 0 ? "\(file):\(line)" : file }
}
