/// A small XML 1.0 reader for changelogs, in plain Swift so that `strata` does not load libxml2
/// and ICU (FoundationXML's parser) into every run, changelog or not. It is as strict about
/// well-formedness as a conforming parser and stops at the first fault, with its line and
/// column: elements, attributes in either quote, namespaces (prefixes resolved, declarations
/// scoped to their element), text, CDATA, comments, processing instructions, the XML
/// declaration, the five predefined entities and character references.
///
/// Not read, by design: a DOCTYPE is skipped (so an entity it declares is unknown where it is
/// used), and files in encodings other than UTF-8 (a byte-order mark is fine) and ISO-8859-1
/// (when declared) are refused.
struct XMLDocumentReader {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// An element whose end tag has not come yet.
    private struct OpenElement {
        var name: String
        var start: XMLCursor.Mark
        /// How many namespace declarations were in scope before its own.
        var outerBindings: Int
    }

    private var cursor: XMLCursor
    /// Namespace declarations in scope, innermost last; the prefix "" is the default namespace.
    private var bindings: [(prefix: String, uri: String)] = []
    private var open: [OpenElement] = []
    /// Character data read since the last tag, not yet given to the handler.
    private var text: [UInt8] = []

    /// Reads `bytes`, a whole file, into `handler`.
    static func read(_ bytes: [UInt8], into handler: inout some XMLContentHandler) throws(XMLSyntaxError) {
        var reader = try XMLDocumentReader(bytes)
        try reader.readDocument(into: &handler)
    }

    private init(_ bytes: [UInt8]) throws(XMLSyntaxError) {
        guard !bytes.starts(with: [0xFE, 0xFF]), !bytes.starts(with: [0xFF, 0xFE]) else {
            throw XMLSyntaxError(message: "the file is in UTF-16, but Strata reads XML changelogs in UTF-8 or ISO-8859-1: convert it (iconv -f UTF-16 -t UTF-8)", line: 1, column: 1)
        }
        let start = bytes.starts(with: Self.byteOrderMark) ? Self.byteOrderMark.count : 0
        cursor = XMLCursor(bytes: bytes, from: start)
        var checkFrom = start
        if cursor.isAtDeclaration, let encoding = try cursor.readDeclaration(), XMLCharacters.isLatin1(encoding: encoding) {
            cursor = XMLCursor(bytes: XMLCharacters.utf8(fromLatin1: bytes[start...]), from: 0)
            checkFrom = 0
            try cursor.readDeclaration()
        }
        try XMLCharacters.check(cursor.bytes, from: checkFrom)
    }

    // MARK: - Document

    private mutating func readDocument(into handler: inout some XMLContentHandler) throws(XMLSyntaxError) {
        var sawDoctype = false
        try skipMiscellaneous()
        while cursor.starts(with: XMLCursor.doctypeOpen) {
            guard !sawDoctype else { throw cursor.error("a second DOCTYPE; a file has at most one") }
            sawDoctype = true
            try cursor.skipDoctype()
            try skipMiscellaneous()
        }
        guard !cursor.isAtEnd else { throw cursor.error("the file has no root element (a changelog's is <databaseChangeLog>)") }
        guard cursor.peek() == ASCII.lessThan else {
            throw cursor.error("text before the root element; the file must start with it (after an optional <?xml …?> declaration)")
        }
        let root = try readStartTag(into: &handler)
        try readContent(into: &handler)
        try skipMiscellaneous()
        guard cursor.isAtEnd else {
            let secondElement = cursor.peek() == ASCII.lessThan && cursor.peek(1).map(XMLCharacters.canStartName) == true
            throw cursor.error(secondElement
                ? "a second root element after </\(root)>; an XML file has one root element"
                : "\(cursor.nextCharacterDescription) after the root element's end tag </\(root)>; nothing but comments may follow it")
        }
    }

    /// White space, comments and processing instructions: what may stand before and after the root.
    private mutating func skipMiscellaneous() throws(XMLSyntaxError) {
        while true {
            cursor.skipWhitespace()
            if cursor.starts(with: XMLCursor.commentOpen) {
                try cursor.skipComment()
            } else if cursor.starts(with: XMLCursor.processingInstructionOpen) {
                try cursor.skipProcessingInstruction()
            } else {
                return
            }
        }
    }

    /// Everything after the root's start tag, up to its end tag.
    private mutating func readContent(into handler: inout some XMLContentHandler) throws(XMLSyntaxError) {
        while let element = open.last {
            guard let byte = cursor.peek() else {
                throw cursor.error("<\(element.name)> is not closed: the file ends before its </\(element.name)>", at: element.start)
            }
            switch byte {
            case ASCII.lessThan:
                if cursor.starts(with: XMLCursor.endTagOpen) {
                    try readEndTag(into: &handler)
                } else if cursor.starts(with: XMLCursor.commentOpen) {
                    try cursor.skipComment()
                } else if cursor.starts(with: XMLCursor.cdataOpen) {
                    try cursor.readCDATA(into: &text)
                } else if cursor.starts(with: XMLCursor.processingInstructionOpen) {
                    try cursor.skipProcessingInstruction()
                } else {
                    try readStartTag(into: &handler)
                }
            case ASCII.ampersand:
                Unicode.UTF8.encode(try readReference()) { text.append($0) }
            case ASCII.closeBracket where cursor.starts(with: XMLCursor.cdataClose):
                throw cursor.error("']]>' is not allowed in text; write ]]&gt;")
            case ASCII.carriageReturn:
                text.append(ASCII.newline)
                cursor.advance()
                if cursor.peek() == ASCII.newline { cursor.advance() }
            default:
                text.append(byte)
                cursor.advance()
            }
        }
    }

    private mutating func flushText(into handler: inout some XMLContentHandler) {
        guard !text.isEmpty else { return }
        handler.characters(String(decoding: text, as: UTF8.self))
        text.removeAll(keepingCapacity: true)
    }

    // MARK: - Tags

    /// At `<` and a name: reads the start tag (or empty-element tag) and returns its name.
    @discardableResult
    private mutating func readStartTag(into handler: inout some XMLContentHandler) throws(XMLSyntaxError) -> String {
        flushText(into: &handler)
        let start = cursor.mark
        cursor.advance()
        guard let name = cursor.readName() else {
            throw cursor.error("expected an element name after '<', found \(cursor.nextCharacterDescription); write a literal < as &lt;")
        }
        var attributes: [XMLAttribute] = []
        var isEmpty = false
        while true {
            let hadSpace = cursor.skipWhitespace()
            guard let byte = cursor.peek() else { throw cursor.error("the start tag <\(name) is not closed; end it with > or />", at: start) }
            if byte == ASCII.greaterThan {
                cursor.advance()
                break
            }
            if cursor.starts(with: XMLCursor.emptyElementClose) {
                cursor.advance(by: XMLCursor.emptyElementClose.count)
                isEmpty = true
                break
            }
            let attributeStart = cursor.mark
            guard let attribute = cursor.readName() else {
                throw cursor.error("\(cursor.nextCharacterDescription) in the start tag <\(name)>; expected an attribute (name=\"value\"), > or />")
            }
            guard hadSpace else { throw cursor.error("the attribute \(attribute) in <\(name)> must be separated from what comes before it by white space", at: attributeStart) }
            guard !attributes.contains(where: { $0.name == attribute }) else {
                throw cursor.error("the attribute \(attribute) appears twice in <\(name)>", at: attributeStart)
            }
            attributes.append(XMLAttribute(name: attribute, value: try readAttributeValue(of: attribute, in: name)))
        }
        let outerBindings = bindings.count
        try declareNamespaces(attributes, at: start)
        let resolved = try resolve(name, at: start)
        for attribute in attributes where attribute.name.contains(":") && !attribute.name.hasPrefix("xmlns:") {
            _ = try resolve(attribute.name, at: start)
        }
        open.append(OpenElement(name: name, start: start, outerBindings: outerBindings))
        handler.startElement(resolved, attributes: attributes, line: start.line)
        if isEmpty { closeInnermost(into: &handler) }
        return name
    }

    /// After an attribute's name: `= "value"`, the value read as XML reads attribute values.
    private mutating func readAttributeValue(of attribute: String, in element: String) throws(XMLSyntaxError) -> String {
        cursor.skipWhitespace()
        guard cursor.peek() == ASCII.equals else {
            throw cursor.error("the attribute \(attribute) in <\(element)> has no value; write \(attribute)=\"…\"")
        }
        cursor.advance()
        cursor.skipWhitespace()
        guard let quote = cursor.peek(), quote == ASCII.quote || quote == ASCII.apostrophe else {
            throw cursor.error("the value of \(attribute) in <\(element)> must be in quotes (\" or ')")
        }
        let start = cursor.mark
        cursor.advance()
        var value: [UInt8] = []
        while true {
            guard let byte = cursor.peek() else {
                throw cursor.error("the value of \(attribute) in <\(element)> is not closed; end it with \(quote == ASCII.quote ? "\"" : "'")", at: start)
            }
            switch byte {
            case quote:
                cursor.advance()
                return String(decoding: value, as: UTF8.self)
            case ASCII.lessThan:
                throw cursor.error("'<' in the value of \(attribute) in <\(element)>, which starts on line \(start.line) (is its closing quote missing?); write a literal < as &lt;")
            case ASCII.ampersand:
                Unicode.UTF8.encode(try readReference()) { value.append($0) }
            case ASCII.tab, ASCII.newline, ASCII.carriageReturn:
                value.append(ASCII.space)
                cursor.advance()
                if byte == ASCII.carriageReturn, cursor.peek() == ASCII.newline { cursor.advance() }
            default:
                value.append(byte)
                cursor.advance()
            }
        }
    }

    /// At `</`: reads the end tag of the innermost open element.
    private mutating func readEndTag(into handler: inout some XMLContentHandler) throws(XMLSyntaxError) {
        let start = cursor.mark
        cursor.advance(by: XMLCursor.endTagOpen.count)
        guard let element = open.last else { return }
        guard let name = cursor.readName() else {
            throw cursor.error("expected an element name after '</', found \(cursor.nextCharacterDescription)")
        }
        guard name == element.name else {
            throw cursor.error("the end tag </\(name)> does not match the start tag <\(element.name)> on line \(element.start.line)", at: start)
        }
        cursor.skipWhitespace()
        guard cursor.peek() == ASCII.greaterThan else { throw cursor.error("expected > to end </\(name), found \(cursor.nextCharacterDescription)") }
        cursor.advance()
        flushText(into: &handler)
        closeInnermost(into: &handler)
    }

    private mutating func closeInnermost(into handler: inout some XMLContentHandler) {
        let element = open.removeLast()
        bindings.removeSubrange(element.outerBindings...)
        handler.endElement()
    }

    // MARK: - References

    /// At `&`: the character an entity or character reference stands for.
    private mutating func readReference() throws(XMLSyntaxError) -> Unicode.Scalar {
        let start = cursor.mark
        cursor.advance()
        if cursor.peek() == ASCII.hash {
            cursor.advance()
            return try readCharacterReference(from: start)
        }
        guard let name = cursor.readName(), cursor.peek() == ASCII.semicolon else {
            throw cursor.error("'&' must start a reference (&amp; &lt; &gt; &quot; &apos; or &#…;); write a literal & as &amp;", at: start)
        }
        cursor.advance()
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "apos": return "'"
        case "quot": return "\""
        default:
            throw cursor.error("unknown entity &\(name);: XML predefines only &amp; &lt; &gt; &quot; &apos;, and Strata does not read the ones a DOCTYPE declares", at: start)
        }
    }

    /// After `&#`: `NNN;` (decimal) or `xHHH;` (hexadecimal), a character XML allows.
    private mutating func readCharacterReference(from start: XMLCursor.Mark) throws(XMLSyntaxError) -> Unicode.Scalar {
        let radix: UInt32 = cursor.peek() == ASCII.lowercaseX ? 16 : 10
        if radix == 16 { cursor.advance() }
        var value: UInt32 = 0
        var digits = 0
        while let byte = cursor.peek(), let digit = Self.digitValue(byte), digit < radix {
            value = min(value * radix + digit, 0x11_0000)
            digits += 1
            cursor.advance()
        }
        guard digits > 0, cursor.peek() == ASCII.semicolon else {
            throw cursor.error("a character reference is &#NNN; (decimal) or &#xHHH; (hexadecimal); write a literal & as &amp;", at: start)
        }
        cursor.advance()
        guard let scalar = Unicode.Scalar(value), XMLCharacters.isAllowed(scalar) else {
            throw cursor.error("the character reference stands for \(XMLCharacters.codePoint(value)), which XML does not allow", at: start)
        }
        return scalar
    }

    private static func digitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: - Namespaces

    /// Brings an element's `xmlns="…"` and `xmlns:p="…"` attributes into scope.
    private mutating func declareNamespaces(_ attributes: [XMLAttribute], at start: XMLCursor.Mark) throws(XMLSyntaxError) {
        for attribute in attributes {
            if attribute.name == "xmlns" {
                bindings.append((prefix: "", uri: attribute.value))
            } else if attribute.name.hasPrefix("xmlns:") {
                let prefix = String(attribute.name.dropFirst("xmlns:".count))
                guard !attribute.value.isEmpty else {
                    throw cursor.error("xmlns:\(prefix)=\"\" binds a prefix to no namespace, which XML does not allow", at: start)
                }
                bindings.append((prefix: prefix, uri: attribute.value))
            }
        }
    }

    /// A name's prefix and local part, and the namespace its prefix (or the default
    /// declaration in scope) binds it to.
    private func resolve(_ name: String, at start: XMLCursor.Mark) throws(XMLSyntaxError) -> XMLName {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            let namespace = bindings.last(where: { $0.prefix.isEmpty })?.uri
            guard parts.count == 1 else {
                throw cursor.error("\(name) is not a valid name: a name has at most one colon, between its prefix and its local name", at: start)
            }
            return XMLName(qualified: name, local: name, namespace: namespace?.isEmpty == false ? namespace : nil)
        }
        let (prefix, local) = (String(parts[0]), String(parts[1]))
        guard !prefix.isEmpty, let first = local.utf8.first, XMLCharacters.canStartName(first) else {
            throw cursor.error("\(name) is not a valid name: a prefix and a local name go on either side of its colon", at: start)
        }
        guard let namespace = prefix == "xml" ? Self.xmlNamespace : bindings.last(where: { $0.prefix == prefix })?.uri else {
            throw cursor.error("the namespace prefix \(prefix) of \(name) is not declared; add xmlns:\(prefix)=\"…\" to this element or one around it", at: start)
        }
        return XMLName(qualified: name, local: local, namespace: namespace)
    }
}
