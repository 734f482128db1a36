extension SchemaDiffer {
    /// Views and triggers. A view is dropped and recreated when its definition changes, when a
    /// table it reads is dropped, rebuilt or loses or retypes a column, and when a view it reads
    /// is; dependents are dropped first and recreated last. A trigger is made again when it
    /// changes or its table or view is made again (on SQLite also when its body names a
    /// rebuilt table, which the rebuild's rename would otherwise reject). A materialized view
    /// that stays gains and loses indexes in place.
    func viewsAndTriggers(deltas: [TableDelta], droppedTables: [Table], into plan: inout DiffPlan) {
        let disturbedTables = Set(deltas.filter(\.disturbsViews).map(\.new.name) + droppedTables.map(\.name))
        var dropping = Set(old.views.filter { view in
            guard let target = new.view(view.name) else { return true }
            return !sameView(view, target) || view.dependsOn.contains(where: disturbedTables.contains)
        }.map(\.name))
        var grew = true
        while grew {
            let dependents = old.views.filter { !dropping.contains($0.name) && $0.dependsOn.contains(where: dropping.contains) }
            dependents.forEach { dropping.insert($0.name) }
            grew = !dependents.isEmpty
        }
        let rebuilt = deltas.filter(\.needsRebuild).map(\.new.name)
        func disturbed(_ trigger: Trigger) -> Bool {
            dropping.contains(trigger.table) || rebuilt.contains { $0 == trigger.table || SQLNormalization.mentions(trigger.definition, $0.name) }
        }
        var creatingTriggers: [Trigger] = []
        for trigger in old.triggers {
            let target = new.triggers.first { $0.table == trigger.table && $0.name == trigger.name }
            guard target == nil || !comparison.sameText(trigger.definition, target?.definition) || disturbed(trigger) else { continue }
            plan.dropDependents.append(.dropTrigger(trigger))
            if let target { creatingTriggers.append(target) }
        }
        for trigger in new.triggers where !old.triggers.contains(where: { $0.table == trigger.table && $0.name == trigger.name }) {
            creatingTriggers.append(trigger)
        }
        let creating = new.views.filter { dropping.contains($0.name) || old.view($0.name) == nil }
        let dropped = old.views.filter { dropping.contains($0.name) }
        plan.dropDependents += DependencyOrder.sorted(dropped, name: \.name, dependencies: \.dependsOn).reversed().map { .dropView($0) }
        plan.createDependents += DependencyOrder.sorted(creating, name: \.name, dependencies: \.dependsOn).map { .createView($0) }
        if flavor == .postgresql {
            for view in new.views where !dropping.contains(view.name) {
                guard let previous = old.view(view.name) else { continue }
                if previous.comment != view.comment {
                    plan.comments.append(.setComment(.view(view.name, materialized: view.materialized), from: previous.comment, to: view.comment))
                }
                let (droppedIndexes, addedIndexes) = SchemaComparison.unmatched(previous.indexes, view.indexes, comparison.sameIndex)
                plan.dropIndexes += droppedIndexes.map { .dropIndex(table: view.name, $0) }
                plan.createIndexes += addedIndexes.map { .createIndex(table: view.name, $0) }
            }
        }
        plan.createDependents += creatingTriggers.map { .createTrigger($0) }
    }

    private func sameView(_ a: View, _ b: View) -> Bool {
        a.materialized == b.materialized && comparison.sameText(a.definition, b.definition)
    }
}
