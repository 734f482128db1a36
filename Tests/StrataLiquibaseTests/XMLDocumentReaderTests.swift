import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// The XML reader on its own: what it reads, and where and why it refuses what is not
/// well-formed XML.
@Suite struct XMLDocumentReaderTests {
    /// The events as short strings: `<name {namespace} a=1 @line>`, `"text"`, `/`; adjacent
    /// character data merged, since how a run is split is not part of the contract.
    struct Recorder: XMLContentHandler {
        var events: [String] = []

        mutating func startElement(_ name: XMLName, attributes: [XMLAttribute], line: Int) {
            let namespace = name.namespace.map { " {\($0)}" } ?? ""
            let local = name.local == name.qualified ? "" : " local=\(name.local)"
            events.append("<\(name.qualified)\(namespace)\(local)" + attributes.map { " \($0.name)=\($0.value)" }.joined() + " @\(line)>")
        }

        mutating func characters(_ text: String) {
            if let last = events.last, last.hasPrefix("\"") {
                events[events.count - 1] = String(last.dropLast()) + text + "\""
            } else {
                events.append("\"" + text + "\"")
            }
        }

        mutating func endElement() { events.append("/") }
    }

    func events(_ text: String) throws -> [String] {
        try events(Array(text.utf8))
    }

    func events(_ bytes: [UInt8]) throws -> [String] {
        var recorder = Recorder()
        try XMLDocumentReader.read(bytes, into: &recorder)
        return recorder.events
    }

    func failure(_ text: String) -> XMLSyntaxError? {
        failure(Array(text.utf8))
    }

    func failure(_ bytes: [UInt8]) -> XMLSyntaxError? {
        var recorder = Recorder()
        do {
            try XMLDocumentReader.read(bytes, into: &recorder)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - What it reads

    @Test func prologMiscellanyIsReadPast() throws {
        let text = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone='no'?>
            <!-- a comment, with <tags> & ampersands -->
            <?editor fold="yes"?>
            <!DOCTYPE root SYSTEM "root.dtd" [ <!ENTITY e "]>"> <!-- ] --> ]>
            <root/>
            <!-- after -->

            """
        #expect(try events(text) == ["<root @5>", "/"])
    }

    @Test func attributesInEitherQuoteWithReferences() throws {
        let text = #"<a one="1 'x'" two='2 "y"' three="&lt;&gt;&amp;&apos;&quot;" four="&#65;&#x42;&#x1F600;"/>"#
        #expect(try events(text) == [#"<a one=1 'x' two=2 "y" three=<>&'" four=AB😀 @1>"#, "/"])
    }

    @Test func attributeWhiteSpaceIsNormalizedButReferencesAreKept() throws {
        let text = "<a v=\"x\ty\r\nz\rw\" w=\"p&#10;q&#9;r\"/>"
        #expect(try events(text) == ["<a v=x y z w w=p\nq\tr @1>", "/"])
    }

    @Test func textCDATACommentsAndProcessingInstructions() throws {
        let text = "<a>one &amp; <!-- skipped --><?pi data?>two<![CDATA[ <b>&amp; ]]>three</a>"
        #expect(try events(text) == ["<a @1>", "\"one & two <b>&amp; three\"", "/"])
    }

    @Test func lineBreaksBecomeNewlines() throws {
        #expect(try events("<a>x\r\ny\rz<![CDATA[1\r\n2\r3]]></a>") == ["<a @1>", "\"x\ny\nz1\n2\n3\"", "/"])
    }

    @Test func nestingAndEmptyElements() throws {
        #expect(try events("<a><b x='1'/><c>t</c ></a>") == ["<a @1>", "<b x=1 @1>", "/", "<c @1>", "\"t\"", "/", "/"])
    }

    @Test func namespacesAreResolvedAndScoped() throws {
        let text = """
            <root xmlns="urn:default" xmlns:p="urn:p" xml:lang="en">
            <p:a p:attr="1"><b xmlns="urn:inner"/></p:a>
            <c/>
            <p:d xmlns:p="urn:other"/>
            </root>
            """
        #expect(try events(text) == [
            "<root {urn:default} xmlns=urn:default xmlns:p=urn:p xml:lang=en @1>", "\"\n\"",
            "<p:a {urn:p} local=a p:attr=1 @2>", "<b {urn:inner} xmlns=urn:inner @2>", "/", "/", "\"\n\"",
            "<c {urn:default} @3>", "/", "\"\n\"",
            "<p:d {urn:other} local=d xmlns:p=urn:other @4>", "/", "\"\n\"",
            "/",
        ])
        #expect(try events("<a xmlns=\"\"/>") == ["<a xmlns= @1>", "/"])
    }

    @Test func elementLinesAreWhereTheirTagStarts() throws {
        let text = "<a>\n<!-- one\ntwo -->\n<b\n  x='1\n2'/><![CDATA[\n\n]]><c/>\r<d/>\r\n<e/></a>"
        let lines = try events(text).filter { $0.hasPrefix("<") }.map { $0.split(separator: "@").last.map(String.init) }
        #expect(lines == ["1>", "4>", "8>", "9>", "10>"])
    }

    // MARK: - What it refuses, and where

    /// Each malformed input: the line and column reported, and a phrase the message holds.
    static let malformed: [(text: String, line: Int, column: Int, says: String)] = [
        ("", 1, 1, "no root element"),
        ("<?xml version=\"1.0\"?>\n<!-- only -->\n", 3, 1, "no root element"),
        ("text<a/>", 1, 1, "text before the root element"),
        ("<a>", 1, 1, "<a> is not closed"),
        ("<a>\n  <b>\n</a>", 3, 1, "the end tag </a> does not match the start tag <b> on line 2"),
        ("<a></a", 1, 7, "expected > to end </a"),
        ("<a/>\ntext", 2, 1, "'t' after the root element's end tag </a>"),
        ("<a/>\n<b/>", 2, 1, "a second root element after </a>"),
        ("<a x=\"1\" <b/>", 1, 10, "'<' in the start tag <a>"),
        ("< a/>", 1, 2, "expected an element name after '<'"),
        ("<a\n", 1, 1, "the start tag <a is not closed"),
        ("<a x=1/>", 1, 6, "the value of x in <a> must be in quotes"),
        ("<a x/>", 1, 5, "the attribute x in <a> has no value"),
        ("<a x=\"1\" x='2'/>", 1, 10, "the attribute x appears twice in <a>"),
        ("<a x=\"1\"y=\"2\"/>", 1, 9, "the attribute y in <a> must be separated"),
        ("<a x=\"1/>\n<b/>", 2, 1, "'<' in the value of x in <a>, which starts on line 1 (is its closing quote missing?)"),
        ("<a x='1", 1, 6, "the value of x in <a> is not closed; end it with '"),
        ("<a>\n x &foo; </a>", 2, 4, "unknown entity &foo;"),
        ("<a>&amp</a>", 1, 4, "'&' must start a reference"),
        ("<a>AT&T</a>", 1, 6, "write a literal & as &amp;"),
        ("<a x='&bar;'/>", 1, 7, "unknown entity &bar;"),
        ("<a>&#xZZ;</a>", 1, 4, "a character reference is &#NNN;"),
        ("<a>&#;</a>", 1, 4, "a character reference is &#NNN;"),
        ("<a>&#0;</a>", 1, 4, "stands for U+0000, which XML does not allow"),
        ("<a>&#xD800;</a>", 1, 4, "stands for U+D800"),
        ("<a>&#99999999999;</a>", 1, 4, "which XML does not allow"),
        ("<a>\n<!-- never closed </a>", 2, 1, "the comment is not closed"),
        ("<a><!-- a -- b --></a>", 1, 11, "'--' is not allowed inside a comment"),
        ("<a><!-- a ---></a>", 1, 11, "'--' is not allowed inside a comment"),
        ("<a><![CDATA[ x </a>", 1, 4, "the CDATA section is not closed"),
        ("<a>]]></a>", 1, 4, "']]>' is not allowed in text"),
        ("<a><?pi never closed</a>", 1, 4, "the processing instruction <?pi is not closed"),
        ("<a><?</a>", 1, 6, "expected a processing instruction's name"),
        ("\n<?xml version=\"1.0\"?><a/>", 2, 1, "an XML declaration (<?xml …?>) is allowed only at the very start"),
        ("<?xml encoding=\"UTF-8\"?><a/>", 1, 7, "the XML declaration takes version, then"),
        ("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", 1, 30, "declares encoding=\"UTF-16\", but Strata reads XML changelogs in UTF-8 or ISO-8859-1 only"),
        ("<?xml version=\"2.0\"?><a/>", 1, 15, "XML version 2.0 is not supported"),
        ("<?xml version=\"1.0\" standalone=\"maybe\"?><a/>", 1, 32, "expected yes or no"),
        ("<?xml version=\"1.0\"><a/>", 1, 20, "to end the XML declaration"),
        ("<!DOCTYPE a [ <!ENTITY e \"x\"> ]><a>&e;</a>", 1, 36, "unknown entity &e;"),
        ("<!DOCTYPE a [ <!ENTITY e \"x\"> ]\n", 1, 1, "the DOCTYPE is not closed"),
        ("<!DOCTYPE a><!DOCTYPE a><a/>", 1, 13, "a second DOCTYPE"),
        ("<p:a/>", 1, 1, "the namespace prefix p of p:a is not declared"),
        ("<a q:x='1'/>", 1, 1, "the namespace prefix q of q:x is not declared"),
        ("<a xmlns:p='urn:p'><p:b/></a><p:c/>", 1, 30, "a second root element"),
        ("<a xmlns:p='urn:p'/>\n<!-- --><b><p:c/></b>", 2, 9, "a second root element"),
        ("<a:b:c xmlns:a='urn:a'/>", 1, 1, "a:b:c is not a valid name"),
        ("<x:root xmlns:x='urn:x'>\n</x:<?pi?>root>", 2, 1, "the end tag </x:> does not match the start tag <x:root> on line 1"),
        ("<a xmlns:p=''/>", 1, 1, "binds a prefix to no namespace"),
        ("<a>\u{1}</a>", 1, 4, "the character U+0001 is not allowed in XML"),
        ("<a>\u{FFFF}</a>", 1, 4, "the character U+FFFF is not allowed"),
        ("<a>é\n  é&x;</a>", 2, 4, "unknown entity &x;"),
    ]

    @Test(arguments: malformed.indices)
    func malformedInputIsRefusedWhereItGoesWrong(index: Int) throws {
        let (text, line, column, says) = Self.malformed[index]
        let error = try #require(failure(text), "\(text.debugDescription) was read")
        #expect(error.message.contains(says), "\(text.debugDescription): \(error.message)")
        #expect((error.line, error.column) == (line, column), "\(text.debugDescription): \(error.message)")
    }

    @Test func latin1IsReadWhenDeclared() throws {
        let bytes = Array("<?xml version='1.0' encoding='ISO-8859-1'?>\n<a v='caf".utf8) + [0xE9] + Array("'>\n&x;</a>".utf8)
        let error = try #require(failure(bytes))
        #expect((error.line, error.column, error.message) == (3, 1, "unknown entity &x;: XML predefines only &amp; &lt; &gt; &quot; &apos;, and Strata does not read the ones a DOCTYPE declares"))
        let readable = Array("<?xml version='1.0' encoding='latin1'?><a v='caf".utf8) + [0xE9] + Array("'>".utf8) + [0xA0] + Array("</a>".utf8)
        #expect(try events(readable) == ["<a v=café @1>", "\"\u{A0}\"", "/"])
    }

    @Test func unclosedElementsAreReportedWhereTheyOpen() throws {
        let error = try #require(failure("<a>\n  <b>\n    <c/>\n"))
        #expect(error.message == "<b> is not closed: the file ends before its </b>")
        #expect((error.line, error.column) == (2, 3))
    }

    @Test func bytesThatAreNotUTF8AreRefusedAtTheirLine() throws {
        let bytes = Array("<a>\n ".utf8) + [0xE9] + Array("</a>".utf8)
        let error = try #require(failure(bytes))
        #expect(error.message.hasPrefix("the byte 0xE9 is not UTF-8"))
        #expect((error.line, error.column) == (2, 2))
        #expect(failure([0xFF, 0xFE, 0x3C, 0x00])?.message.contains("UTF-16") == true)
    }

    @Test func changelogErrorsNameTheFileLineAndColumn() throws {
        let folder = TemporaryFolder()
        folder.write("changelog.xml", "<databaseChangeLog>\n  <changeSet id=\"1\" author=\"a\">\n  </changeset>\n</databaseChangeLog>\n")
        let error = try #require(throws: ChangelogError.self) { try LiquibaseChangelog.load(path: "changelog.xml", searchPath: folder.path) }
        #expect(error.location.line == 3)
        #expect(error.description.hasSuffix("changelog.xml:3: the changelog cannot be read: not well-formed XML at column 3: the end tag </changeset> does not match the start tag <changeSet> on line 2."))
    }
}
