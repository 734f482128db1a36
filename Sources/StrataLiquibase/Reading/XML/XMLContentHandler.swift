/// Receives what ``XMLDocumentReader`` reads, in document order: the elements and their
/// character data, nothing else (comments, processing instructions and the DOCTYPE are read
/// past).
protocol XMLContentHandler {
    /// A start tag, or an empty-element tag (which is followed at once by ``endElement()``).
    /// `line` is where its `<` stands.
    mutating func startElement(_ name: XMLName, attributes: [XMLAttribute], line: Int)
    /// Character data of the innermost open element: text with its references replaced and
    /// its line breaks as `\n`, or a CDATA section's content. One run may come in several calls.
    mutating func characters(_ text: String)
    /// The end of the innermost open element.
    mutating func endElement()
}

/// An element's name as written and as its namespace declarations resolve it.
struct XMLName: Hashable, Sendable {
    /// As written: `createTable`, `ext:createView`.
    var qualified: String
    /// Without its prefix: `createView`.
    var local: String
    /// The namespace URI bound to its prefix (or the default namespace in scope for a name
    /// without one); nil when there is none.
    var namespace: String?
}

/// An attribute as written: its name with any prefix (`tableName`, `xsi:schemaLocation`,
/// `xmlns:ext`), and its value with references replaced and white space normalized as XML
/// requires (a tab or line break written as such becomes a space; `&#10;` stays a line break).
struct XMLAttribute: Hashable, Sendable {
    var name: String
    var value: String
}
