extension Migration {
    /// This repeatable migration as if its file had changed, so that a migrate runs it again
    /// exactly as it would after an edit: how `strata test` checks that a second run works.
    package func changedForRerun() throws(CatalogError) -> Migration {
        let checksum = (checksum ?? 0) &+ 1
        if let code {
            return Migration(kind: kind, version: version, description: description, script: script, checksum: checksum,
                             code: code, directives: directives)
        }
        return Migration(kind: kind, version: version, description: description, script: script, folder: folder,
                         checksum: checksum, sql: try sql, directives: directives)
    }
}
