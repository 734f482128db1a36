extension SchemaDiffer {
    /// Namespaces and extensions come first and go last.
    func namespacesAndExtensions(into plan: inout DiffPlan) {
        plan.prepare += new.namespaces.filter { !old.namespaces.contains($0) }.map { .createNamespace($0) }
        plan.dropNamespaces += old.namespaces.filter { !new.namespaces.contains($0) }.map { .dropNamespace($0) }
        for namespace in new.namespaces where flavor == .postgresql {
            let previous = old.namespaces.contains(namespace) ? old.namespaceComments[namespace] : nil
            if previous != new.namespaceComments[namespace] {
                plan.comments.append(.setComment(.namespace(namespace), from: previous, to: new.namespaceComments[namespace]))
            }
        }
        for object in new.extensions {
            guard let previous = old.extensions.first(where: { $0.name == object.name }) else {
                plan.prepare.append(.createExtension(object))
                continue
            }
            if let version = object.version, let current = previous.version, version != current {
                plan.prepare.append(.updateExtension(name: object.name, from: current, to: version))
            }
        }
        plan.dropExtensions += old.extensions.filter { object in !new.extensions.contains { $0.name == object.name } }
            .map { .dropExtension($0) }
    }

    /// Enums, domains and sequences: made before the tables, dropped after them. A sequence
    /// is owned by its column once the table exists; an identity column's own sequence, and
    /// one whose owner is dropped, are left to PostgreSQL.
    func types(droppedTables: [Table], deltas: [TableDelta], into plan: inout DiffPlan) throws(SchemaChangeError) {
        for type in new.enums {
            guard let previous = old.enums.first(where: { $0.name == type.name }) else {
                plan.createTypes.append(.createEnum(type))
                continue
            }
            plan.createTypes += try addedValues(from: previous, to: type)
            if flavor == .postgresql && previous.comment != type.comment {
                plan.comments.append(.setComment(.type(type.name), from: previous.comment, to: type.comment))
            }
        }
        plan.dropTypes += old.enums.filter { type in !new.enums.contains { $0.name == type.name } }.map { .dropEnum($0) }

        for domain in new.domains {
            guard let previous = old.domains.first(where: { $0.name == domain.name }) else {
                plan.createTypes.append(.createDomain(domain))
                continue
            }
            if !sameDomain(previous, domain) {
                guard SQLNormalization.type(previous.type, flavor) == SQLNormalization.type(domain.type, flavor) else {
                    throw .domainTypeChanged(domain: domain.name, from: previous.type, to: domain.type)
                }
                plan.createTypes.append(.alterDomain(from: previous, to: domain))
            }
        }
        plan.dropTypes += old.domains.filter { domain in !new.domains.contains { $0.name == domain.name } }.map { .dropDomain($0) }

        let oldSequences = old.sequences.filter { !isIdentitySequence($0, in: old) }
        for sequence in new.sequences where !isIdentitySequence(sequence, in: new) {
            let previous = oldSequences.first { $0.name == sequence.name }
            var unowned = sequence
            unowned.ownedBy = previous?.ownedBy
            if let previous {
                if previous != unowned { plan.createTypes.append(.alterSequence(from: previous, to: unowned)) }
            } else {
                plan.createTypes.append(.createSequence(unowned))
            }
            if unowned.ownedBy != sequence.ownedBy { plan.createDependents.append(.alterSequence(from: unowned, to: sequence)) }
        }
        let droppedOwners = Set(droppedTables.map(\.name))
        let droppedColumns = Set(deltas.flatMap { delta in delta.droppedColumns.map { "\(delta.new.name).\($0.name)" } })
        plan.dropTypes += oldSequences.filter { sequence in
            guard !new.sequences.contains(where: { $0.name == sequence.name }) else { return false }
            guard let owner = Self.owner(of: sequence) else { return true }
            return !droppedOwners.contains(owner.table) && !droppedColumns.contains("\(owner.table).\(owner.column)")
        }.map { .dropSequence($0) }
    }

    /// Functions and procedures are replaced in place and dropped last; an opaque object that
    /// changes is dropped first and made again last.
    func routinesAndOpaqueObjects(into plan: inout DiffPlan) {
        func key(_ routine: Routine) -> (QualifiedName, String) { (routine.name, SQLNormalization.expression(routine.signature)) }
        for routine in new.routines {
            let previous = old.routines.first { key($0) == key(routine) }
            if previous.map({ $0.kind != routine.kind || !comparison.sameText($0.definition, routine.definition) }) ?? true {
                plan.createRoutines.append(.replaceRoutine(from: previous, to: routine))
            } else if let previous, previous.comment != routine.comment {
                let target = CommentTarget.routine(routine.name, signature: routine.signature, kind: routine.kind)
                plan.comments.append(.setComment(target, from: previous.comment, to: routine.comment))
            }
        }
        plan.dropRoutines += old.routines.filter { routine in !new.routines.contains { key($0) == key(routine) } }
            .map { .dropRoutine($0) }
        for object in old.others {
            let target = new.others.first { $0.kind == object.kind && $0.name == object.name }
            if target.map({ !comparison.sameText($0.definition, object.definition) }) ?? true { plan.dropDependents.append(.dropOpaque(object)) }
        }
        for object in new.others {
            let previous = old.others.first { $0.kind == object.kind && $0.name == object.name }
            if previous.map({ !comparison.sameText($0.definition, object.definition) }) ?? true { plan.createOpaque.append(.createOpaque(object)) }
        }
    }

    /// PostgreSQL only adds enum values: each new one goes before the next value that exists.
    private func addedValues(from old: EnumType, to new: EnumType) throws(SchemaChangeError) -> [SchemaChange] {
        let kept = new.values.filter(old.values.contains)
        guard kept == old.values else { throw .enumValuesRemovedOrReordered(type: new.name, from: old.values, to: new.values) }
        return new.values.enumerated().filter { !old.values.contains($0.element) }.map { position, value in
            .addEnumValue(type: new.name, value: value, before: new.values[(position + 1)...].first(where: old.values.contains))
        }
    }

    private func sameDomain(_ a: Domain, _ b: Domain) -> Bool {
        SQLNormalization.type(a.type, flavor) == SQLNormalization.type(b.type, flavor) && a.nullable == b.nullable
            && comparison.sameText(a.defaultValue, b.defaultValue)
            && SchemaComparison.unmatched(a.checks, b.checks) { comparison.matches(.check($0), .check($1)) } == ([], [])
    }

    private func isIdentitySequence(_ sequence: Sequence, in schema: Schema) -> Bool {
        guard let owner = Self.owner(of: sequence) else { return false }
        return schema.table(owner.table)?.column(owner.column)?.identity != nil
    }

    /// `table.column` or `schema.table.column`.
    static func owner(of sequence: Sequence) -> (table: QualifiedName, column: String)? {
        let parts = sequence.ownedBy?.split(separator: ".").map(String.init) ?? []
        switch parts.count {
        case 2: return (QualifiedName(parts[0]), parts[1])
        case 3: return (QualifiedName(schema: parts[0], parts[1]), parts[2])
        default: return nil
        }
    }
}
