import Strata
import StrataSchema

/// How catalog names become model names: objects of the default namespace (the first managed
/// one) carry no schema, as declarations and schema files write them; others carry theirs.
struct CatalogNames {
    let defaultNamespace: String
    private let excluded: Set<QualifiedName>

    init(defaultNamespace: String, excluding: [QualifiedName]) {
        self.defaultNamespace = defaultNamespace
        excluded = Set(excluding.map { QualifiedName(schema: $0.schema == defaultNamespace ? nil : $0.schema, $0.name) })
    }

    func qualified(_ namespace: String?, _ name: String?) -> QualifiedName {
        QualifiedName(schema: namespace == defaultNamespace ? nil : namespace, name ?? "")
    }

    /// The history table, and whatever else the caller leaves out.
    func isExcluded(_ name: QualifiedName) -> Bool { excluded.contains(name) }

    func quote(_ name: String) -> String { PostgresDialect().quote(name) }

    func quote(_ name: QualifiedName) -> String {
        name.schema.map { quote($0) + "." + quote(name.name) } ?? quote(name.name)
    }
}
