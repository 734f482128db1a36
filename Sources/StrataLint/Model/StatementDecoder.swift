/// Reads libpg_query's tree of one statement into a ``StatementKind``.
package enum StatementDecoder {
    /// - Parameter text: the statement's text, for the parts rules quote back (a CHECK's expression).
    package static func kind(of tree: ParseNode, text: String) -> StatementKind {
        guard let type = tree.typeName, let body = tree.typed(type) else { return .other("") }
        switch type {
        case "CreateStmt":
            return createTable(body, text: text)
        case "AlterTableStmt" where body["objtype"].string != "OBJECT_INDEX":
            return .alterTable(relation(body["relation"]), body["cmds"].items.compactMap { $0.typed("AlterTableCmd") }.map { alterCommand($0, text: text) })
        case "IndexStmt":
            return .createIndex(IndexDefinition(
                name: body["idxname"].string, table: relation(body["relation"]), unique: body["unique"].isTrue,
                concurrently: body["concurrent"].isTrue,
                columns: body["indexParams"].items.compactMap { $0.typed("IndexElem") }.map { $0["name"].string },
                partial: body["whereClause"] != .null))
        case "DropStmt":
            let kind: DropKind = switch body["removeType"].string {
            case "OBJECT_TABLE": .table
            case "OBJECT_INDEX": .index
            default: .other
            }
            let names = body["objects"].items.map { object -> Relation in
                let parts = (object.typed("List")?["items"] ?? .null).names
                return Relation(schema: parts.count > 1 ? parts[parts.count - 2] : nil, name: parts.last ?? "")
            }
            return .drop(kind, names, concurrently: body["concurrent"].isTrue)
        case "RenameStmt":
            return rename(body)
        case "ReindexStmt":
            let target = body["relation"] != .null ? relation(body["relation"]).description : body["name"].string ?? ""
            return .reindex(target: target, onIndex: body["kind"].string == "REINDEX_OBJECT_INDEX", concurrently: hasOption(body["params"], "concurrently"))
        case "VacuumStmt" where body["is_vacuumcmd"].isTrue:
            let tables = body["rels"].items.compactMap { $0.typed("VacuumRelation") }.map { relation($0["relation"]) }
            return .vacuum(full: hasOption(body["options"], "full"), tables: tables)
        case "ClusterStmt":
            return .cluster(body["relation"] == .null ? nil : relation(body["relation"]))
        case "TruncateStmt":
            return .truncate(body["relations"].items.map { relation($0.typed("RangeVar") ?? .null) }, cascade: body["behavior"].string == "DROP_CASCADE")
        case "AlterEnumStmt" where body["newVal"].string != nil && body["oldVal"] == .null:
            return .addEnumValue(type: body["typeName"].names.joined(separator: "."))
        case "TransactionStmt":
            let control: TransactionControl = switch body["kind"].string {
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START": .begin
            case "TRANS_STMT_COMMIT": .commit
            case "TRANS_STMT_ROLLBACK": .rollback
            default: .other
            }
            return .transaction(control)
        default:
            return .other(type)
        }
    }

    static func relation(_ node: ParseNode) -> Relation {
        Relation(schema: node["schemaname"].string, name: node["relname"].string ?? "")
    }

    private static func hasOption(_ options: ParseNode, _ name: String) -> Bool {
        options.items.contains { $0.typed("DefElem")?["defname"].string == name }
    }

    private static func createTable(_ body: ParseNode, text: String) -> StatementKind {
        var columns: [ColumnDefinition] = []
        var constraints: [TableConstraint] = []
        for element in body["tableElts"].items {
            if let column = element.typed("ColumnDef") {
                columns.append(columnDefinition(column))
            } else if let constraint = element.typed("Constraint") {
                constraints.append(tableConstraint(constraint, text: text))
            }
        }
        return .createTable(relation(body["relation"]), columns: columns, constraints: constraints)
    }

    private static func rename(_ body: ParseNode) -> StatementKind {
        let table = relation(body["relation"])
        let newName = body["newname"].string ?? ""
        switch body["renameType"].string {
        case "OBJECT_COLUMN": return .renameColumn(table, from: body["subname"].string ?? "", to: newName)
        case "OBJECT_TABLE": return .renameTable(table, to: newName)
        default: return .other("RenameStmt")
        }
    }

    private static func alterCommand(_ command: ParseNode, text: String) -> AlterCommand {
        let column = command["name"].string ?? ""
        switch command["subtype"].string ?? "" {
        case "AT_AddColumn":
            return .addColumn(columnDefinition(command["def"].typed("ColumnDef") ?? .null))
        case "AT_DropColumn":
            return .dropColumn(column)
        case "AT_AlterColumnType":
            return .alterType(column: column, to: ColumnType(command["def"].typed("ColumnDef")?["typeName"] ?? .null))
        case "AT_SetNotNull":
            return .setNotNull(column)
        case "AT_AddConstraint":
            return .addConstraint(tableConstraint(command["def"].typed("Constraint") ?? .null, text: text))
        case "AT_ValidateConstraint":
            return .validateConstraint(column)
        case "AT_DetachPartition" where command["def"].typed("PartitionCmd")?["concurrent"].isTrue == true:
            return .other(AlterCommand.detachConcurrently)
        case let subtype:
            return .other(subtype)
        }
    }

    static func columnDefinition(_ node: ParseNode) -> ColumnDefinition {
        var column = ColumnDefinition(name: node["colname"].string ?? "", type: ColumnType(node["typeName"]))
        for constraint in node["constraints"].items.compactMap({ $0.typed("Constraint") }) {
            switch constraint["contype"].string {
            case "CONSTR_NOTNULL": column.notNull = true
            case "CONSTR_DEFAULT": column.defaultValue = constraint["raw_expr"]
            case "CONSTR_GENERATED": column.generatedStored = true
            case "CONSTR_IDENTITY": column.identity = true
            case "CONSTR_PRIMARY": column.primaryKey = true
            case "CONSTR_UNIQUE": column.unique = true
            case "CONSTR_FOREIGN": column.references = relation(constraint["pktable"])
            default: break
            }
        }
        return column
    }

    static func tableConstraint(_ node: ParseNode, text: String) -> TableConstraint {
        let kind: TableConstraint.Kind = switch node["contype"].string {
        case "CONSTR_PRIMARY": .primaryKey
        case "CONSTR_UNIQUE": .unique
        case "CONSTR_FOREIGN": .foreignKey
        case "CONSTR_CHECK": .check
        case "CONSTR_EXCLUSION": .exclusion
        default: .other
        }
        var constraint = TableConstraint(kind: kind, name: node["conname"].string)
        constraint.columns = kind == .foreignKey ? node["fk_attrs"].names : node["keys"].names
        constraint.usingIndex = node["indexname"].string
        constraint.notValid = node["skip_validation"].isTrue
        if kind == .foreignKey {
            constraint.referencedTable = relation(node["pktable"])
            constraint.referencedColumns = node["pk_attrs"].names
            constraint.onUpdate = referentialAction(node["fk_upd_action"].string)
            constraint.onDelete = referentialAction(node["fk_del_action"].string)
        }
        if kind == .check, let location = node["location"].integer {
            constraint.expression = StatementText.parenthesized(in: text, after: location, keyword: "check")
        }
        if let test = node["raw_expr"].typed("NullTest"), test["nulltesttype"].string == "IS_NOT_NULL" {
            constraint.notNullColumn = test["arg"].typed("ColumnRef")?["fields"].names.last
        }
        return constraint
    }

    private static func referentialAction(_ code: String?) -> String? {
        switch code {
        case "r": "RESTRICT"
        case "c": "CASCADE"
        case "n": "SET NULL"
        case "d": "SET DEFAULT"
        default: nil
        }
    }
}
