import Foundation

/// Reads a root changelog and everything it includes, in Liquibase's order, into changesets.
/// Paths are kept the way Liquibase records them: relative to the search path (its classpath
/// root), with `/` separators, because they become FILENAME in `DATABASECHANGELOG`.
struct ChangelogLoader {
    let options: ChangelogOptions
    /// The folder that non-relative paths resolve against.
    let searchPath: URL
    var properties: ChangelogProperties
    var changeSets: [ChangeSet] = []
    var preconditions: [Preconditions] = []
    /// Every changeset read so far, those for other databases too: identities must be unique
    /// among them, and a rollback can borrow the changes of any of them.
    var everyChangeSet: [ChangeSetIdentity: ChangeSet] = [:]
    /// The files being read, outermost first, so a file that includes itself is an error
    /// rather than a loop.
    var reading: [String] = []
    /// Counts file reads: a changeset seen again from another read of its file (the same file
    /// included twice) is skipped, as Liquibase does; twice in one read it is a duplicate.
    var reads = 0
    var readOfChangeSet: [ChangeSetIdentity: (read: Int, dbms: [String])] = [:]

    /// `removeChangeSetProperty` rules read so far: a change type, the databases, the attribute
    /// taken off its changes (and their columns), which then neither runs nor counts in the checksum.
    var removedProperties: [(change: String, dbms: [String], property: String)] = []

    /// Applies the `removeChangeSetProperty` rules for the database being read for (none when
    /// no database is given).
    func removeProperties(from changeSet: inout ChangeSet) {
        guard let database = options.database else { return }
        for rule in removedProperties where DatabaseList.matches(rule.dbms, database: database) {
            for index in changeSet.changes.indices where changeSet.changes[index].kind.rawValue == rule.change {
                changeSet.changes[index].node.children.removeAll { $0.isLeaf && $0.name == rule.property }
                for column in changeSet.changes[index].node.children.indices where !changeSet.changes[index].node.children[column].isLeaf {
                    changeSet.changes[index].node.children[column].children.removeAll { $0.isLeaf && $0.name == rule.property }
                }
            }
        }
    }

    init(options: ChangelogOptions, searchPath: URL) {
        self.options = options
        self.searchPath = searchPath
        self.properties = ChangelogProperties(caller: options.properties)
    }

    /// What an include passes down to the changesets of the file it names.
    struct Inherited {
        var contexts: [ContextExpression] = []
        var labels: Set<String> = []
        /// Nearest include first, as Liquibase records them.
        var labelsInOrder: [String] = []
        var ignore = false
        /// `modifyChangeSets` attributes (`endDelimiter`, `stripComments`, `runWith`).
        var changeSetOverrides: [String: String] = [:]
    }

    mutating func load(path: String, inherited: Inherited, includedAt: ChangelogLocation?) throws(ChangelogError) {
        let path = Self.normalize(path)
        guard !reading.contains(path) else {
            throw ChangelogError(.malformed("\(path) includes itself (through \(reading.joined(separator: " → ")))"), at: includedAt ?? ChangelogLocation(file: path, line: 0))
        }
        reading.append(path)
        defer { reading.removeLast() }
        reads += 1
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : searchPath.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ChangelogError(.fileNotFound(path), at: includedAt ?? ChangelogLocation(file: path, line: 0))
        }
        let file = url.path
        let text = String(decoding: data, as: UTF8.self)
        let root: ChangelogNode
        switch url.pathExtension.lowercased() {
        case "xml": root = try XMLChangelogReader.read(data, file: file)
        case "yaml", "yml", "json": root = try YAMLChangelogReader.read(text, file: file)
        case "sql":
            root = FormattedSQLReader.isFormatted(text)
                ? try FormattedSQLReader.read(text, file: file)
                : Self.rawSQLChangelog(text, file: file)
        default:
            throw ChangelogError(.malformed("\(url.lastPathComponent) is not a changelog (xml, yaml, yml, json or sql)"), at: includedAt ?? ChangelogLocation(file: file, line: 0))
        }
        guard root.name == "databaseChangeLog" else {
            throw ChangelogError(.unknownElement(root.name, context: "the root of a changelog (databaseChangeLog)"), at: root.location)
        }
        properties.enterChangelog()
        defer { properties.leaveChangelog() }
        try read(root, path: path, inherited: inherited, read: reads)
    }

    /// A plain SQL file reached through include or includeAll: one changeset `raw::includeAll`.
    static func rawSQLChangelog(_ text: String, file: String) -> ChangelogNode {
        let location = ChangelogLocation(file: file, line: 1)
        let sql = ChangelogNode(name: "sql", value: text, location: location)
        let changeSet = ChangelogNode(name: "changeSet", children: [
            ChangelogNode(name: "id", value: "raw", location: location),
            ChangelogNode(name: "author", value: "includeAll", location: location),
            sql,
        ], location: location)
        return ChangelogNode(name: "databaseChangeLog", children: [changeSet], location: location)
    }

    /// `read`: this read's number; the files it includes count their own.
    private mutating func read(_ root: ChangelogNode, path: String, inherited: Inherited, read thisRead: Int) throws(ChangelogError) {
        let logicalPath = root.string("logicalFilePath").map(properties.expand)
        var inherited = inherited
        if let context = root.string("contextFilter") ?? root.string("context") {
            inherited.contexts.append(try Self.contextExpression(context, at: root.location))
        }
        for child in root.children {
            switch child.name {
            case "logicalFilePath", "contextFilter", "context", "objectQuotingStrategy":
                continue
            case "property":
                try defineProperty(child, path: path)
            case "preConditions":
                preconditions.append(try PreconditionBuilder.build(properties.expand(child)))
            case "changeSet":
                let builder = ChangeSetBuilder(properties: properties, path: path, logicalPath: logicalPath, searchPath: searchPath)
                var (changeSet, references) = try builder.build(child)
                apply(inherited, to: &changeSet)
                removeProperties(from: &changeSet)
                let runsHere = options.database.map(changeSet.runs(on:)) ?? true
                if let (read, dbms) = readOfChangeSet[changeSet.identity], runsHere {
                    // The same file included again adds nothing.
                    guard read == thisRead else { continue }
                    // One identity may be written once per database (`dbms="db2"`, `dbms="!db2"`);
                    // with no database given, both stay.
                    guard options.database == nil && dbms != changeSet.dbms else {
                        throw ChangelogError(.duplicateChangeSet(changeSet.identity), at: changeSet.location)
                    }
                }
                if runsHere { readOfChangeSet[changeSet.identity] = (thisRead, changeSet.dbms) }
                for reference in references {
                    guard let referenced = everyChangeSet[reference] else {
                        throw ChangelogError(.invalidValue(attribute: "changeSetId", value: reference.description, expected: "a changeset defined before this one"), at: changeSet.location)
                    }
                    changeSet.rollback = (changeSet.rollback ?? []) + referenced.changes
                }
                everyChangeSet[changeSet.identity] = changeSet
                if !runsHere { continue }
                changeSets.append(changeSet)
            case "include":
                try include(child, from: path, inherited: inherited)
            case "includeAll":
                try includeAll(child, from: path, inherited: inherited)
            case "modifyChangeSets":
                var overrides = inherited
                for leaf in child.children where leaf.isLeaf { overrides.changeSetOverrides[leaf.name] = leaf.value.map(properties.expand) }
                for nested in child.children where !nested.isLeaf {
                    switch nested.name {
                    case "include": try include(nested, from: path, inherited: overrides)
                    case "includeAll": try includeAll(nested, from: path, inherited: overrides)
                    default: throw ChangelogError(.unknownElement(nested.name, context: "modifyChangeSets (include or includeAll)"), at: nested.location)
                    }
                }
            case "removeChangeSetProperty":
                let node = properties.expand(child)
                guard let change = node.string("change"), let property = node.string("remove") else {
                    throw ChangelogError(.missingAttribute(node.string("change") == nil ? "change" : "remove", element: "removeChangeSetProperty"), at: node.location)
                }
                removedProperties.append((change, DatabaseList.split(node.string("dbms")), property))
            case "comment":
                // Only describes the changelog.
                continue
            default:
                throw ChangelogError(.unknownElement(child.name, context: "databaseChangeLog"), at: child.location)
            }
        }
    }

    private func apply(_ inherited: Inherited, to changeSet: inout ChangeSet) {
        changeSet.inheritedContextFilters += inherited.contexts
        changeSet.labels.formUnion(inherited.labels)
        changeSet.labelsInOrder = inherited.labelsInOrder + changeSet.labelsInOrder
        if inherited.ignore { changeSet.ignore = true }
        for index in changeSet.changes.indices where changeSet.changes[index].kind == .sql || changeSet.changes[index].kind == .sqlFile {
            for (name, value) in inherited.changeSetOverrides where ["endDelimiter", "stripComments", "splitStatements"].contains(name) {
                changeSet.changes[index].node.children.removeAll { $0.name == name && $0.isLeaf }
                changeSet.changes[index].node.children.append(ChangelogNode(name: name, value: value, location: changeSet.location))
                changeSet.changes[index].node = changeSet.changes[index].node.canonical()
            }
        }
    }

    private mutating func defineProperty(_ node: ChangelogNode, path: String) throws(ChangelogError) {
        let node = properties.expand(node)
        if let dbms = node.string("dbms") {
            guard let database = options.database, DatabaseList.matches(DatabaseList.split(dbms), database: database) else { return }
        }
        if let context = node.string("contextFilter") ?? node.string("context") {
            guard try Self.contextExpression(context, at: node.location).matches(options.contexts) else { return }
        }
        if let labels = node.string("labels") {
            guard options.labels.matches(Set(DatabaseList.split(labels))) else { return }
        }
        let isGlobal = node.string("global").map { $0.lowercased() != "false" } ?? true
        if let file = node.string("file") {
            let relative = node.string("relativeToChangelogFile")?.lowercased() == "true"
            let target = Self.resolve(file, relativeTo: relative ? path : nil)
            let url = target.hasPrefix("/") ? URL(fileURLWithPath: target) : searchPath.appendingPathComponent(target)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ChangelogError(.fileNotFound(target), at: node.location)
            }
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix("!"),
                      let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
                let name = trimmed[..<separator].trimmingCharacters(in: .whitespaces)
                let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
                properties.define(name, value, global: isGlobal)
            }
            return
        }
        guard let name = node.string("name") else { throw ChangelogError(.missingAttribute("name", element: "property"), at: node.location) }
        properties.define(name, node.string("value") ?? node.value ?? "", global: isGlobal)
    }

    private mutating func include(_ node: ChangelogNode, from path: String, inherited: Inherited) throws(ChangelogError) {
        let node = properties.expand(node)
        guard let file = node.string("file") else { throw ChangelogError(.missingAttribute("file", element: "include"), at: node.location) }
        let relative = node.string("relativeToChangelogFile")?.lowercased() == "true"
        let target = Self.resolve(file, relativeTo: relative ? path : nil)
        let errorIfMissing = node.string("errorIfMissing")?.lowercased() != "false"
        if !errorIfMissing, !FileManager.default.fileExists(atPath: url(target).path) { return }
        try load(path: target, inherited: try narrowed(inherited, by: node), includedAt: node.location)
    }

    /// Every changelog under a folder, in the order of their paths as strings, as Liquibase sorts them.
    private mutating func includeAll(_ node: ChangelogNode, from path: String, inherited: Inherited) throws(ChangelogError) {
        let node = properties.expand(node)
        guard let folder = node.string("path") else { throw ChangelogError(.missingAttribute("path", element: "includeAll"), at: node.location) }
        if let filter = node.string("resourceFilter") {
            throw ChangelogError(.invalidValue(attribute: "resourceFilter", value: filter,
                                               expected: "no filter class: it is Java code only Liquibase can run; name the files with include, or use endsWithFilter, minDepth and maxDepth"), at: node.location)
        }
        let relative = node.string("relativeToChangelogFile")?.lowercased() == "true"
        var base = Self.resolve(folder, relativeTo: relative ? path : nil)
        if !base.hasSuffix("/") { base += "/" }
        let minDepth = node.string("minDepth").flatMap { Int($0) } ?? 1
        let maxDepth = node.string("maxDepth").flatMap { Int($0) } ?? Int.max
        let endsWith = node.string("endsWithFilter")?.lowercased()
        let root = url(base)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            if node.string("errorIfMissingOrEmpty")?.lowercased() == "false" { return }
            throw ChangelogError(.fileNotFound(base), at: node.location)
        }
        var files: [String] = []
        var empty = true
        while let relativeFile = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType != .typeDirectory { empty = false }
            let depth = relativeFile.split(separator: "/").count
            let ext = (relativeFile as NSString).pathExtension.lowercased()
            guard ["xml", "yaml", "yml", "json", "sql"].contains(ext), depth >= minDepth, depth <= maxDepth else { continue }
            if let endsWith, !relativeFile.lowercased().hasSuffix(endsWith) { continue }
            files.append(base + relativeFile)
        }
        // Liquibase's errorIfMissingOrEmpty (true by default) refuses a folder with no file in it;
        // files that are not changelogs are passed over without a word, as Liquibase does.
        if empty, node.string("errorIfMissingOrEmpty")?.lowercased() != "false" {
            throw ChangelogError(.invalidValue(attribute: "path", value: base, expected: "a folder with files in it, "
                + "or errorIfMissingOrEmpty=\"false\""), at: node.location)
        }
        let children = try narrowed(inherited, by: node)
        for file in files.sorted() {
            try load(path: file, inherited: children, includedAt: node.location)
        }
    }

    private func narrowed(_ inherited: Inherited, by node: ChangelogNode) throws(ChangelogError) -> Inherited {
        var result = inherited
        if let context = node.string("contextFilter") ?? node.string("context") {
            result.contexts.append(try Self.contextExpression(context, at: node.location))
        }
        if let labels = node.string("labels") {
            result.labels.formUnion(DatabaseList.split(labels))
            result.labelsInOrder = DatabaseList.split(labels) + result.labelsInOrder
        }
        if node.string("ignore")?.lowercased() == "true" { result.ignore = true }
        return result
    }

    private func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : searchPath.appendingPathComponent(path)
    }

    static func contextExpression(_ text: String, at location: ChangelogLocation) throws(ChangelogError) -> ContextExpression {
        do {
            return try ContextExpression(parsing: text)
        } catch {
            throw ChangelogError(.expression(error), at: location)
        }
    }

    /// `file` as Liquibase names it: beside `including` (relativeToChangelogFile) or as written.
    static func resolve(_ file: String, relativeTo including: String?) -> String {
        let file = file.replacing("\\", with: "/")
        guard let including, !file.hasPrefix("/") else { return normalize(file) }
        let folder = (including as NSString).deletingLastPathComponent
        return normalize(folder.isEmpty ? file : folder + "/" + file)
    }

    /// `a/./b/../c` as `a/c`, with `/` separators and no leading `./` or `classpath:`.
    static func normalize(_ path: String) -> String {
        var path = path.replacing("\\", with: "/")
        if path.hasPrefix("classpath:") { path.removeFirst("classpath:".count) }
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (absolute ? "/" : "") + parts.joined(separator: "/")
    }
}
