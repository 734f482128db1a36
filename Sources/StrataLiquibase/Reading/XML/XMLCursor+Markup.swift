/// The markup that carries no elements: the XML declaration, the DOCTYPE, comments, processing
/// instructions, and CDATA sections (whose content is text).
extension XMLCursor {
    static let declarationOpen = Array("<?xml".utf8)
    static let commentOpen = Array("<!--".utf8)
    static let cdataOpen = Array("<![CDATA[".utf8)
    static let doctypeOpen = Array("<!DOCTYPE".utf8)
    static let processingInstructionOpen = Array("<?".utf8)
    static let processingInstructionClose = Array("?>".utf8)
    static let endTagOpen = Array("</".utf8)
    static let emptyElementClose = Array("/>".utf8)
    static let cdataClose = Array("]]>".utf8)
    static let doubleHyphen = Array("--".utf8)

    /// Whether the file (after its byte-order mark) opens with an XML declaration.
    var isAtDeclaration: Bool {
        starts(with: Self.declarationOpen) && peek(5).map(ASCII.isWhitespace) == true
    }

    /// At `<?xml `: reads the declaration and returns the encoding it declares, if any.
    /// Version 1.x only; UTF-8 (or ASCII, a subset) or ISO-8859-1: a file in another encoding
    /// is refused here, before its bytes are misread.
    @discardableResult
    mutating func readDeclaration() throws(XMLSyntaxError) -> String? {
        let start = mark
        advance(by: Self.declarationOpen.count)
        let order = ["version", "encoding", "standalone"]
        var lastRank = -1
        var encoding: String?
        while true {
            let hadSpace = skipWhitespace()
            if starts(with: Self.processingInstructionClose) { break }
            let nameMark = mark
            guard hadSpace, let name = readName() else {
                throw error("expected version, encoding or standalone, or ?> to end the XML declaration, found \(nextCharacterDescription)")
            }
            guard let rank = order.firstIndex(of: name), rank > lastRank, lastRank >= 0 || rank == 0 else {
                throw error("the XML declaration takes version, then optionally encoding and standalone, in that order; found \(name)", at: nameMark)
            }
            lastRank = rank
            let (value, valueMark) = try readDeclarationValue(of: name)
            switch name {
            case "version" where !value.hasPrefix("1."):
                throw error("XML version \(value) is not supported; declare version=\"1.0\"", at: valueMark)
            case "encoding" where !XMLCharacters.isUTF8(encoding: value) && !XMLCharacters.isLatin1(encoding: value):
                throw error("the file declares encoding=\"\(value)\", but Strata reads XML changelogs in UTF-8 or ISO-8859-1 only: convert it (iconv -f \(value) -t UTF-8) and declare encoding=\"UTF-8\"", at: valueMark)
            case "standalone" where value != "yes" && value != "no":
                throw error("standalone=\"\(value)\" in the XML declaration; expected yes or no", at: valueMark)
            default:
                break
            }
            if name == "encoding" { encoding = value }
        }
        guard lastRank >= 0 else { throw error("the XML declaration needs version=\"1.0\"", at: start) }
        advance(by: Self.processingInstructionClose.count)
        return encoding
    }

    /// `= "value"` after a name in the XML declaration: the value, and where its quote is.
    private mutating func readDeclarationValue(of name: String) throws(XMLSyntaxError) -> (String, Mark) {
        skipWhitespace()
        guard peek() == ASCII.equals else { throw error("expected = after \(name) in the XML declaration, found \(nextCharacterDescription)") }
        advance()
        skipWhitespace()
        guard let quote = peek(), quote == ASCII.quote || quote == ASCII.apostrophe else {
            throw error("the value of \(name) in the XML declaration must be in quotes")
        }
        let start = mark
        advance()
        guard let value = skip(past: [quote]) else { throw error("the value of \(name) in the XML declaration is not closed", at: start) }
        return (String(decoding: value, as: UTF8.self), start)
    }

    /// At `<!--`: skips the comment. XML allows no `--` inside one (so no `--->` at its end).
    mutating func skipComment() throws(XMLSyntaxError) {
        let start = mark
        advance(by: Self.commentOpen.count)
        while !isAtEnd {
            if starts(with: Self.doubleHyphen) {
                guard peek(2) == ASCII.greaterThan else {
                    throw error("'--' is not allowed inside a comment (the one opened on line \(start.line)); end the comment with --> or break up the dashes")
                }
                advance(by: 3)
                return
            }
            advance()
        }
        throw error("the comment is not closed; end it with -->", at: start)
    }

    /// At `<?`: skips a processing instruction. `<?xml …?>` is allowed only at the very start
    /// of the file, as its declaration.
    mutating func skipProcessingInstruction() throws(XMLSyntaxError) {
        let start = mark
        advance(by: Self.processingInstructionOpen.count)
        guard let target = readName() else {
            throw error("expected a processing instruction's name after '<?', found \(nextCharacterDescription)")
        }
        guard target.lowercased() != "xml" else {
            throw error("an XML declaration (<?xml …?>) is allowed only at the very start of the file, with nothing before it", at: start)
        }
        guard skipWhitespace() || starts(with: Self.processingInstructionClose) else {
            throw error("expected white space or ?> after <?\(target), found \(nextCharacterDescription)")
        }
        guard skip(past: Self.processingInstructionClose) != nil else {
            throw error("the processing instruction <?\(target) is not closed; end it with ?>", at: start)
        }
    }

    /// At `<![CDATA[`: appends the section's content to `text`, line breaks as `\n`.
    mutating func readCDATA(into text: inout [UInt8]) throws(XMLSyntaxError) {
        let start = mark
        advance(by: Self.cdataOpen.count)
        guard let content = skip(past: Self.cdataClose) else {
            throw error("the CDATA section is not closed; end it with ]]>", at: start)
        }
        Self.appendNormalizingLineBreaks(content, to: &text)
    }

    /// Appends `bytes` to `text` with each line break (`\r\n`, a lone `\r`) as `\n`, as XML
    /// reads them.
    static func appendNormalizingLineBreaks(_ bytes: ArraySlice<UInt8>, to text: inout [UInt8]) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard byte == ASCII.carriageReturn else {
                text.append(byte)
                continue
            }
            text.append(ASCII.newline)
            if index < bytes.endIndex, bytes[index] == ASCII.newline { index += 1 }
        }
    }

    /// At `<!DOCTYPE`: skips it, internal subset included. Its declarations are not read, so an
    /// entity declared there is unknown where it is used.
    mutating func skipDoctype() throws(XMLSyntaxError) {
        let start = mark
        advance(by: Self.doctypeOpen.count)
        var inSubset = false
        while let byte = peek() {
            switch byte {
            case ASCII.quote, ASCII.apostrophe:
                let quoted = mark
                advance()
                guard skip(past: [byte]) != nil else { throw error("the quoted string in the DOCTYPE is not closed", at: quoted) }
            case ASCII.openBracket where !inSubset:
                inSubset = true
                advance()
            case ASCII.closeBracket where inSubset:
                inSubset = false
                advance()
            case ASCII.lessThan where inSubset && starts(with: Self.commentOpen):
                try skipComment()
            case ASCII.lessThan where inSubset && starts(with: Self.processingInstructionOpen):
                try skipProcessingInstruction()
            case ASCII.greaterThan where !inSubset:
                advance()
                return
            default:
                advance()
            }
        }
        throw error("the DOCTYPE is not closed; end it with >", at: start)
    }
}
