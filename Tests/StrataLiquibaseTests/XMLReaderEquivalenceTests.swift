import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PropertyBased
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// Strata's XML reader against Foundation's `XMLParser` (libxml2), which read changelogs before
/// it: on every XML file of the fixtures and on random well-formed documents, both make the
/// same nodes (or, for the fixtures, both refuse); random corruptions are refused at a place.
@Suite(.serialized) struct XMLReaderEquivalenceTests {
    /// The nodes `XMLParser` makes of a file, built as the reader before this one built them;
    /// nil when it finds the file not well-formed. `parse()` alone does not say: libxml2
    /// recovers from some errors (a mismatched end tag, an undeclared prefix) and `parse()`
    /// then returns true (so the reader before this one accepted them), but every error and
    /// warning reaches the delegate, with libxml2's code.
    final class Reference: NSObject, XMLParserDelegate {
        /// libxml2's warnings (`XML_WAR_*`), which do not make a file malformed: version="1.1"
        /// (97) is one.
        static let warnings: Set<Int> = [27, 93, 97, 98, 99, 100, 102, 106, 107]
        /// `XMLParser` is not safe to use from several threads at once (the property library
        /// may run cases concurrently).
        static let lock = NSLock()

        var stack: [(node: ChangelogNode, text: String)] = []
        var root: ChangelogNode?
        var failed = false

        static func read(_ data: Data) -> ChangelogNode? {
            lock.lock()
            defer { lock.unlock() }
            let parser = XMLParser(data: data)
            let builder = Reference()
            parser.delegate = builder
            parser.shouldProcessNamespaces = true
            return parser.parse() && !builder.failed ? builder.root : nil
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if !Self.warnings.contains((parseError as NSError).code) { failed = true }
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let location = ChangelogLocation(file: "", line: parser.lineNumber)
            let foreign = namespaceURI.map { !$0.isEmpty && $0 != XMLChangelogReader.liquibaseNamespace } ?? false
            let leaves = attributes.filter { !$0.key.contains(":") && !$0.key.hasPrefix("xmlns") }
                .sorted { $0.key < $1.key }
                .map { ChangelogNode(name: $0.key, value: $0.value, location: location) }
            stack.append((ChangelogNode(name: foreign ? (qualifiedName ?? elementName) : elementName, children: leaves, location: location), ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        /// `XMLParser` leaves a CDATA section's `\r\n` and `\r` as they are, against XML's
        /// line-end rule, which Xerces (Liquibase's parser) and Strata apply: applied here.
        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
                .replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var (node, text) = stack.popLast() else { return }
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { node.value = text }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].node.children.append(node)
            }
        }
    }

    static func ours(_ data: Data) -> ChangelogNode? {
        try? XMLChangelogReader.read(data, file: "changelog.xml")
    }

    /// Every XML file under the shared fixtures: Liquibase's own changelogs and real-world ones.
    static let fixtureFiles: [URL] = {
        guard let root = ConformanceFixtures.shared?.root,
              let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { return [] }
        return files.compactMap { $0 as? URL }.filter { $0.pathExtension == "xml" }.sorted { $0.path < $1.path }
    }()

    @Test(.enabled(if: !fixtureFiles.isEmpty, "the shared fixtures are not on this machine"))
    func everyFixtureReadsAsXMLParserReadsIt() throws {
        for file in Self.fixtureFiles {
            let data = try Data(contentsOf: file)
            #expect(Self.ours(data) == Self.reference(data), "\(file.path)")
        }
    }

    static func reference(_ data: Data) -> ChangelogNode? {
        Reference.read(data)
    }

    /// A well-formed document made from a stream of numbers: an optional byte-order mark,
    /// declaration, comment, processing instruction and DOCTYPE, then nested elements with
    /// attributes in either quote (references, tabs and line breaks in their values), text with
    /// references and every kind of line break, CDATA sections, comments, processing
    /// instructions, and namespaces (Liquibase's, another default one, declared prefixes).
    struct Document {
        var numbers: IndexingIterator<[Int]>
        var text = ""

        mutating func pick<T>(_ choices: [T]) -> T {
            choices[(numbers.next() ?? 0) % choices.count]
        }

        mutating func chance(_ percent: Int) -> Bool {
            (numbers.next() ?? 0) % 100 < percent
        }

        static func make(_ numbers: [Int]) -> String {
            var document = Document(numbers: numbers.makeIterator())
            if document.chance(20) { document.text += "\u{FEFF}" }
            if document.chance(50) { document.text += document.pick(["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version='1.0'?>", "<?xml version=\"1.0\" standalone=\"yes\"?>"]) }
            for _ in 0..<(numbers.first ?? 0) % 3 {
                document.text += document.pick(["\n", "<!-- prolog -->", "<?editor x?>", " \r\n"])
            }
            if document.chance(15) { document.text += "<!DOCTYPE databaseChangeLog>\n" }
            document.element(depth: 0)
            // No processing instruction after the root: XMLParser crashes some time after one.
            if document.chance(30) { document.text += document.pick(["\n", "<!-- end -->\n"]) }
            return document.text
        }

        mutating func element(depth: Int) {
            let name = pick(["databaseChangeLog", "changeSet", "sql", "a", "b-c", "d.e", "_f", "column"])
            let prefix = depth > 0 && chance(15) ? "p:" : ""
            text += "<" + prefix + name
            if !prefix.isEmpty { text += " xmlns:p=\"" + pick(["urn:p", XMLChangelogReader.liquibaseNamespace]) + "\"" }
            if chance(20) { text += " xmlns=\"" + pick([XMLChangelogReader.liquibaseNamespace, "urn:other", ""]) + "\"" }
            for attribute in ["id", "author", "x", "tableName"] where chance(35) {
                let quote = pick(["\"", "'"])
                var value = ""
                for _ in 0..<(numbers.next() ?? 0) % 4 {
                    value += pick(["1", "a b", "&amp;", "&lt;", "&gt;", "&#65;", "&#x263A;", "\t", "\n", "\r\n", "&#10;", "é", quote == "\"" ? "'" : "\"", quote == "\"" ? "&quot;" : "&apos;"])
                }
                text += pick([" ", "\n  ", "\t"]) + attribute + pick(["=", " = "]) + quote + value + quote
            }
            if depth > 3 || chance(25) {
                text += pick(["/>", " />"])
                return
            }
            text += ">"
            for _ in 0..<(numbers.next() ?? 0) % 5 {
                switch (numbers.next() ?? 0) % 6 {
                case 0: element(depth: depth + 1)
                case 1: text += pick(["<![CDATA[select '<x>' & 1;]]>", "<![CDATA[]]>", "<![CDATA[a]b\r\nc]]>"])
                case 2: text += pick(["<!-- a comment -->", "<!---->", "<?target data?>"])
                default: text += pick(["hello", " ", "\n    ", "&amp;", "&gt;", "&#x41;&#66;", "\r\n", "x > y", "]", "\r", "\t", "ü"])
                }
            }
            text += "</" + prefix + name + pick([">", " >"])
        }
    }

    @Test func randomWellFormedDocumentsReadAsXMLParserReadsThem() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...10_000).array(of: 10...120)) { numbers in
            let text = Document.make(numbers)
            let data = Data(text.utf8)
            let ours = Self.ours(data)
            #expect(ours != nil, "\(text.debugDescription)")
            #expect(ours == Self.reference(data), "\(text.debugDescription)")
        }
    }

    /// Changelogs to corrupt, using what the reader handles.
    static let seeds = [
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                           xmlns:ext="http://www.liquibase.org/xml/ns/dbchangelog-ext"
                           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                           xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog x.xsd">
            <!-- the first changeset -->
            <changeSet id="1" author='alice &amp; bob'>
                <comment>Creates &lt;people&gt; &#x263A;</comment>
                <createTable tableName="people">
                    <column name="id" type="int"><constraints primaryKey="true"/></column>
                </createTable>
                <ext:custom value="1"/>
            </changeSet>
            <?editor fold?>
            <changeSet id="2" author="carol">
                <sql splitStatements="false"><![CDATA[insert into people values (1) -- <x> & y
        ]]> and text &#65;</sql>
                <rollback>drop table people;</rollback>
            </changeSet>
        </databaseChangeLog>
        """,
        "<databaseChangeLog>\r\n<changeSet id='a' author=\"b\r\nc\">\r\n<sql>select 1;\r\nselect '&quot;';</sql>\r\n</changeSet>\r\n</databaseChangeLog>\r\n",
        "<x:root xmlns:x=\"urn:x\" xmlns=\"urn:d\"><a b='1'>t<!-- c -->u</a><x:a/></x:root>",
    ]

    static let pieces = [
        "<", ">", "/", "&", ";", "\"", "'", "=", " ", "\n", "\r", ":", "x", "!", "?", "-", "[", "]", "\u{1}", "é",
        "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#65;", "&#x41;", "&lt;", " xmlns:x='urn:x'", "<?pi?>", "</", "/>",
    ]

    /// `seed` changed by `numbers` taken three at a time: what to do (insert a piece of markup,
    /// delete a few bytes, repeat a few bytes), where, and which piece or how many.
    static func mutate(_ seed: String, _ numbers: [Int]) -> [UInt8] {
        var bytes = Array(seed.utf8)
        var numbers = numbers.makeIterator()
        while let action = numbers.next(), let place = numbers.next(), let argument = numbers.next() {
            let position = place % (bytes.count + 1)
            switch action % 3 {
            case 0:
                bytes.insert(contentsOf: pieces[argument % pieces.count].utf8, at: position)
            case 1:
                bytes.removeSubrange(position..<min(bytes.count, position + 1 + argument % 4))
            default:
                bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 1 + argument % 8)], at: position)
            }
        }
        return bytes
    }

    /// Corrupted changelogs are read, or refused at a place inside the file. `XMLParser` is no
    /// oracle here: it crashes (`strlen` of NULL) on some malformed input, such as
    /// `<root x<?pi?>mlns="urn:d">` or `</x:<?pi?>root>`, and `parse()` returns true for some
    /// other (a mismatched end tag), which the reader before this one therefore accepted.
    @Test func corruptedChangelogsAreReadOrRefusedWithAPlace() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 0...(Self.seeds.count - 1)), Gen.int(in: 0...100_000).array(of: 3...9)) { seed, numbers in
            let bytes = Self.mutate(Self.seeds[seed], numbers)
            var recorder = XMLDocumentReaderTests.Recorder()
            do throws(XMLSyntaxError) {
                try XMLDocumentReader.read(bytes, into: &recorder)
            } catch {
                let lines = bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
                #expect((1...lines).contains(error.line) && error.column >= 1, "\(String(decoding: bytes, as: UTF8.self).debugDescription): \(error)")
            }
        }
    }
}
