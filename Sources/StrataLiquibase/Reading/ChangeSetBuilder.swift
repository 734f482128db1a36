import Foundation

/// Turns a `changeSet` node (from any format) into a ``ChangeSet``: its attributes checked
/// and typed, its changes, rollback, preconditions and modifySql read, `${…}` replaced.
struct ChangeSetBuilder {
    let properties: ChangelogProperties
    /// The changelog's path as Liquibase names it.
    let path: String
    /// The changelog's `logicalFilePath`, if it has one.
    let logicalPath: String?
    let searchPath: URL

    static let attributes: Set<String> = [
        "id", "author", "context", "contexts", "contextFilter", "labels", "dbms", "runOnChange", "runAlways", "failOnError",
        "runInTransaction", "runOrder", "ignore", "created", "logicalFilePath", "objectQuotingStrategy", "onValidationFail",
        "runWith", "runWithSpoolFile", "splitStatements", "stripComments", "endDelimiter", "rollbackSplitStatements",
        "rollbackEndDelimiter", "alwaysRun",
    ]

    /// The changeset, and the `<rollback changeSetId=…>` references whose changes its rollback
    /// borrows (in order, after its own rollback changes), for the loader to resolve.
    func build(_ raw: ChangelogNode) throws(ChangelogError) -> (ChangeSet, [ChangeSetIdentity]) {
        let node = properties.expand(raw)
        guard let id = node.string("id"), !id.isEmpty else {
            throw ChangelogError(.missingAttribute("id", element: "changeSet"), at: node.location)
        }
        guard let author = node.string("author") else {
            throw ChangelogError(.missingAttribute("author", element: "changeSet \(id)"), at: node.location)
        }
        let logical = node.string("logicalFilePath") ?? logicalPath
        var changeSet = ChangeSet(id: id, author: author, filePath: logical ?? path, physicalPath: node.location.file, location: node.location)
        if let context = node.string("contextFilter") ?? node.string("context") ?? node.string("contexts") {
            changeSet.contextFilter = try ChangelogLoader.contextExpression(context, at: node.location)
        }
        changeSet.labelsInOrder = DatabaseList.split(node.string("labels"))
        changeSet.labels = Set(changeSet.labelsInOrder)
        changeSet.dbms = DatabaseList.split(node.string("dbms"))
        changeSet.runOnChange = try bool(node, "runOnChange") ?? false
        let alwaysRun = try bool(node, "alwaysRun")
        changeSet.runAlways = try bool(node, "runAlways") ?? alwaysRun ?? false
        changeSet.failOnError = try bool(node, "failOnError") ?? true
        changeSet.runInTransaction = try bool(node, "runInTransaction") ?? true
        changeSet.ignore = try bool(node, "ignore") ?? false
        changeSet.created = node.string("created")
        changeSet.objectQuotingStrategy = node.string("objectQuotingStrategy")
        if let order = node.string("runOrder") {
            guard let value = RunOrder(rawValue: order.lowercased()) else {
                throw ChangelogError(.invalidValue(attribute: "runOrder", value: order, expected: "first or last"), at: node.location)
            }
            changeSet.runOrder = value
        }
        var references: [ChangeSetIdentity] = []
        for child in node.children {
            switch child.name {
            case _ where child.isLeaf && Self.attributes.contains(child.name):
                continue
            case "comment":
                changeSet.comment = child.value ?? child.string("comment")
            case "validCheckSum", "validCheckSums":
                if let value = child.value { changeSet.validCheckSums.append(value) }
            case "preConditions":
                changeSet.preconditions = try PreconditionBuilder.build(child)
            case "preconditions":
                // YAML written from Liquibase's own objects: `preconditions: preConditions: …`.
                changeSet.preconditions = try PreconditionBuilder.build(child.child("preConditions") ?? child)
            case "modifySql":
                changeSet.modifySQL += try modifySQL(child)
            case "rollback":
                if let id = child.string("changeSetId") {
                    let path = child.string("changeSetPath") ?? changeSet.filePath
                    references.append(ChangeSetIdentity(id: id, author: child.string("changeSetAuthor") ?? "", path: path))
                    changeSet.rollback = changeSet.rollback ?? []
                } else {
                    changeSet.rollback = (changeSet.rollback ?? []) + (try rollback(child))
                }
            default:
                changeSet.changes.append(try change(child))
            }
        }
        return (changeSet, references)
    }

    /// One change element, with its text moved to the attribute it fills.
    func change(_ node: ChangelogNode) throws(ChangelogError) -> Change {
        guard let kind = ChangeKind(rawValue: node.name) else {
            throw ChangelogError(.unknownElement(node.name, context: "a changeSet (a change type, comment, preConditions, rollback, modifySql or validCheckSum)"), at: node.location)
        }
        var node = node
        if let field = kind.textField, let text = node.value {
            node.value = nil
            if node.string(field) == nil { node.children.append(ChangelogNode(name: field, value: text, location: node.location)) }
        }
        if kind == .sql || kind == .createProcedure {
            // An XML comment element inside the SQL is a note, not part of the statement.
            node.children.removeAll { $0.name == "comment" && !$0.isLeaf }
        }
        var change = Change(kind: kind, node: node.canonical())
        let fileAttribute = kind == .loadData || kind == .loadUpdateData ? "file" : "path"
        if [.sqlFile, .loadData, .loadUpdateData, .createProcedure, .createView].contains(kind), change.string(fileAttribute) != nil {
            change.fileContents = try contents(of: change, attribute: fileAttribute)
            if kind != .loadData && kind != .loadUpdateData {
                change.expandedFileContents = change.fileContents.map(properties.expand)
            }
        }
        return change
    }

    /// A file a change names, relative to the changelog when `relativeToChangelogFile`.
    private func contents(of change: Change, attribute: String) throws(ChangelogError) -> String {
        let file = change.string(attribute) ?? ""
        let relative = change.bool("relativeToChangelogFile") ?? false
        let resolved = relative
            ? ChangelogLoader.resolve(file, relativeTo: (change.location.file as NSString).deletingLastPathComponent + "/x")
            : ChangelogLoader.resolve(file, relativeTo: nil)
        let url = resolved.hasPrefix("/") ? URL(fileURLWithPath: resolved) : searchPath.appendingPathComponent(resolved)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ChangelogError(.fileNotFound(resolved), at: change.location)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A `<rollback>` with SQL text or changes.
    private func rollback(_ node: ChangelogNode) throws(ChangelogError) -> [Change] {
        var changes: [Change] = []
        if let text = node.value, !text.isEmpty {
            // Liquibase makes one sql change per statement of a rollback's text.
            for statement in LiquibaseSQLSplitter.split(text, endDelimiter: nil) {
                let leaf = ChangelogNode(name: "sql", value: statement, location: node.location)
                changes.append(Change(kind: .sql, node: ChangelogNode(name: "sql", children: [leaf], location: node.location)))
            }
        }
        for child in node.children where ChangeKind(rawValue: child.name) != nil {
            changes.append(try change(child))
        }
        // An empty block is Liquibase's explicit "nothing to undo".
        return changes.isEmpty ? [Change(kind: .empty, node: ChangelogNode(name: "empty", location: node.location))] : changes
    }

    private func modifySQL(_ node: ChangelogNode) throws(ChangelogError) -> [ModifySQL] {
        try node.children.filter { !$0.isLeaf }.map { (edit: ChangelogNode) throws(ChangelogError) -> ModifySQL in
            func attribute(_ name: String) -> String? { edit.string(name) ?? node.string(name) }
            let value: ModifySQL.Edit
            switch edit.name {
            case "prepend": value = .prepend(edit.string("value") ?? "")
            case "append": value = .append(edit.string("value") ?? "")
            case "replace": value = .replace(edit.string("replace") ?? "", with: edit.string("with") ?? "")
            case "regExpReplace": value = .regExpReplace(edit.string("replace") ?? "", with: edit.string("with") ?? "")
            default: throw ChangelogError(.unknownElement(edit.name, context: "modifySql (prepend, append, replace, regExpReplace)"), at: edit.location)
            }
            var result = ModifySQL(edit: value, node: edit.canonical())
            result.dbms = DatabaseList.split(attribute("dbms"))
            if let context = attribute("contextFilter") ?? attribute("context") {
                result.context = try ChangelogLoader.contextExpression(context, at: edit.location)
            }
            result.labels = Set(DatabaseList.split(attribute("labels")))
            result.applyToRollback = attribute("applyToRollback")?.lowercased() == "true"
            return result
        }
    }

    private func bool(_ node: ChangelogNode, _ name: String) throws(ChangelogError) -> Bool? {
        guard let text = node.string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw ChangelogError(.invalidValue(attribute: name, value: text, expected: "true or false"), at: node.location)
        }
    }
}

/// Turns a `preConditions` node into ``Preconditions``.
enum PreconditionBuilder {
    static func build(_ node: ChangelogNode) throws(ChangelogError) -> Preconditions {
        func action(_ name: String) throws(ChangelogError) -> PreconditionFailureAction {
            guard let text = node.string(name) else { return .halt }
            guard let action = PreconditionFailureAction(rawValue: text.uppercased()) else {
                throw ChangelogError(.invalidValue(attribute: name, value: text, expected: "HALT, CONTINUE, MARK_RAN or WARN"), at: node.location)
            }
            return action
        }
        var output = PreconditionSQLOutput.ignore
        if let text = node.string("onSqlOutput") {
            guard let value = PreconditionSQLOutput(rawValue: text.uppercased()) else {
                throw ChangelogError(.invalidValue(attribute: "onSqlOutput", value: text, expected: "IGNORE, TEST or FAIL"), at: node.location)
            }
            output = value
        }
        let attributes: Set<String> = ["onFail", "onError", "onSqlOutput", "onFailMessage", "onErrorMessage", "onUpdateSQL"]
        let conditions = try nested(node).filter { !($0.isLeaf && attributes.contains($0.name)) }.map(condition)
        return Preconditions(
            onFail: try action("onFail"), onError: try action("onError"), onSqlOutput: output,
            onFailMessage: node.string("onFailMessage"), onErrorMessage: node.string("onErrorMessage"),
            conditions: conditions, location: node.location
        )
    }

    /// The conditions inside `node`, with the `nestedPreconditions` lists of Liquibase's
    /// serialized form opened.
    static func nested(_ node: ChangelogNode) -> [ChangelogNode] {
        node.children.flatMap { $0.name == "nestedPreconditions" ? $0.children : [$0] }
    }

    static func condition(_ node: ChangelogNode) throws(ChangelogError) -> Precondition {
        func required(_ name: String) throws(ChangelogError) -> String {
            guard let value = node.string(name) else { throw ChangelogError(.missingAttribute(name, element: node.name), at: node.location) }
            return value
        }
        let schema = node.string("schemaName")
        switch node.name {
        case "and": return .and(try nested(node).map(condition))
        case "or": return .or(try nested(node).map(condition))
        case "not": return .not(try nested(node).map(condition))
        case "tableExists": return .tableExists(schema: schema, table: try required("tableName"))
        case "columnExists":
            return .columnExists(schema: schema, table: try required("tableName"), column: try required("columnName"))
        case "viewExists": return .viewExists(schema: schema, view: try required("viewName"))
        case "sequenceExists": return .sequenceExists(schema: schema, sequence: try required("sequenceName"))
        case "indexExists":
            return .indexExists(schema: schema, table: node.string("tableName"), index: node.string("indexName"),
                                columns: DatabaseList.split(node.string("columnNames")))
        case "primaryKeyExists":
            return .primaryKeyExists(schema: schema, table: node.string("tableName"), name: node.string("primaryKeyName"))
        case "foreignKeyConstraintExists":
            return .foreignKeyConstraintExists(schema: schema, table: node.string("foreignKeyTableName"), name: try required("foreignKeyName"))
        case "uniqueConstraintExists":
            return .uniqueConstraintExists(schema: schema, table: try required("tableName"), name: node.string("constraintName"),
                                           columns: DatabaseList.split(node.string("columnNames")))
        case "rowCount":
            let text = try required("expectedRows")
            guard let expected = Int(text) else {
                throw ChangelogError(.invalidValue(attribute: "expectedRows", value: text, expected: "a whole number"), at: node.location)
            }
            return .rowCount(schema: schema, table: try required("tableName"), expected: expected)
        case "tableIsEmpty": return .tableIsEmpty(schema: schema, table: try required("tableName"))
        case "sqlCheck":
            guard let sql = node.string("sql") ?? node.value else { throw ChangelogError(.missingAttribute("sql", element: "sqlCheck"), at: node.location) }
            return .sqlCheck(expected: try required("expectedResult"), sql: sql)
        case "changeSetExecuted":
            return .changeSetExecuted(id: try required("id"), author: try required("author"), path: try required("changeLogFile"))
        case "changeLogPropertyDefined": return .changeLogPropertyDefined(property: try required("property"), value: node.string("value"))
        case "dbms": return .dbms(types: DatabaseList.split(try required("type")))
        case "runningAs": return .runningAs(username: try required("username"))
        case "expectedQuotingStrategy": return .expectedQuotingStrategy(try required("expectedStrategy"))
        case "customPrecondition":
            var parameters: [String: String] = [:]
            for param in node.children(named: "param") { parameters[param.string("name") ?? ""] = param.string("value") ?? param.value }
            return .custom(className: try required("className"), parameters: parameters)
        default:
            throw ChangelogError(.unknownElement(node.name, context: "preConditions"), at: node.location)
        }
    }
}
