/// The catalog queries introspection runs: one per kind of object, each for every managed
/// namespace at once. `$1` is the managed namespaces as a JSON array of names. Lists come back
/// as JSON arrays, so that no name needs escaping. Objects that belong to an extension
/// (`pg_depend.deptype = 'e'`) are left out: `CREATE EXTENSION` makes them.
enum PostgresCatalogQueries {
    /// Sets this transaction's search path to the default namespace only (`$1`, else the
    /// current schema), so that every `format_type` and `pg_get_*` text qualifies exactly the
    /// names outside it, whatever the session's path was. Returns the namespace.
    static let searchPath = """
        SELECT d.name, set_config('search_path', quote_ident(d.name), true)
        FROM (SELECT coalesce($1::text, current_schema(), 'public') AS name) d
        """

    /// `$1`: the namespaces asked for, or NULL for every user namespace; with their comments.
    static let namespaces = """
        SELECT n.nspname, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n
        WHERE CASE WHEN $1::json IS NULL
                   THEN n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND \(notInExtension("pg_namespace", "n.oid"))
                   ELSE n.nspname IN (SELECT json_array_elements_text($1::json)) END
        ORDER BY 1
        """

    /// Tables, views, materialized views and sequences; a view's dependencies are the
    /// relations its rewrite rule depends on, a sequence's owner the column it belongs to
    /// (`a`: serial or OWNED BY; `i`: an identity column's own sequence).
    static let relations = """
        SELECT n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class'),
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,
               (SELECT jsonb_agg(DISTINCT jsonb_build_array(dn.nspname, dc.relname))
                FROM pg_rewrite r
                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                JOIN pg_class dc ON dc.oid = d.refobjid AND dc.oid <> c.oid AND dc.relkind IN ('r', 'p', 'v', 'm', 'f')
                JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                WHERE r.ev_class = c.oid),
               format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               owner.deptype, owner_namespace.nspname, owner_table.relname, owner_column.attname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_sequence s ON s.seqrelid = c.oid
        LEFT JOIN pg_depend owner ON c.relkind = 'S' AND owner.classid = 'pg_class'::regclass AND owner.objid = c.oid
             AND owner.refclassid = 'pg_class'::regclass AND owner.deptype IN ('a', 'i')
        LEFT JOIN pg_class owner_table ON owner_table.oid = owner.refobjid
        LEFT JOIN pg_namespace owner_namespace ON owner_namespace.oid = owner_table.relnamespace
        LEFT JOIN pg_attribute owner_column ON owner_column.attrelid = owner.refobjid AND owner_column.attnum = owner.refobjsubid
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition
          AND \(inNamespaces("n")) AND \(notInExtension("pg_class", "c.oid"))
        ORDER BY 1, 2
        """

    /// A column's collation only where it differs from its type's.
    static let columns = """
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(ad.adbin, ad.adrelid, true), a.attidentity, a.attgenerated,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, col_description(c.oid, a.attnum)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
          AND \(inNamespaces("n")) AND \(notInExtension("pg_class", "c.oid"))
        ORDER BY 1, 2, a.attnum
        """

    /// Table constraints (keys, foreign keys, checks, exclusions) and domain checks.
    static let constraints = """
        SELECT coalesce(n.nspname, tn.nspname), coalesce(c.relname, t.typname), con.conname, con.contype,
               (SELECT json_agg(a.attname ORDER BY k.position) FROM unnest(con.conkey) WITH ORDINALITY k(number, position)
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.number),
               fn.nspname, fc.relname,
               (SELECT json_agg(a.attname ORDER BY k.position) FROM unnest(con.confkey) WITH ORDINALITY k(number, position)
                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.number),
               con.confupdtype, con.confdeltype, con.condeferrable, con.condeferred,
               CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) ELSE pg_get_constraintdef(con.oid, true) END
        FROM pg_constraint con
        LEFT JOIN pg_class c ON c.oid = con.conrelid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_type t ON t.oid = con.contypid AND t.typtype = 'd'
        LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
        LEFT JOIN pg_class fc ON fc.oid = con.confrelid
        LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND (c.oid IS NOT NULL OR t.oid IS NOT NULL)
          AND coalesce(n.nspname, tn.nspname) IN (SELECT json_array_elements_text($1::json))
          AND \(notInExtension("pg_class", "con.conrelid")) AND \(notInExtension("pg_type", "con.contypid"))
        ORDER BY 1, 2, 3
        """

    /// One row per index key and INCLUDE column, for the indexes that no constraint owns.
    /// `indoption` bit 1 is DESC, bit 2 NULLS FIRST; an operator class or collation is named
    /// only where it is not what the key would get by default.
    static let indexes = """
        SELECT n.nspname, c.relname, ic.relname, i.indisunique, am.amname, k.position > i.indnkeyatts,
               pg_get_indexdef(i.indexrelid, k.position, true), i.indkey[k.position - 1] <> 0,
               CASE WHEN NOT opc.opcdefault THEN
                   CASE WHEN opcn.nspname = 'pg_catalog' THEN opc.opcname ELSE opcn.nspname || '.' || opc.opcname END END,
               i.indoption[k.position - 1],
               CASE WHEN i.indcollation[k.position - 1] NOT IN (0, coalesce(a.attcollation, 100)) THEN co.collname END,
               pg_get_expr(i.indpred, i.indrelid, true)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am am ON am.oid = ic.relam
        CROSS JOIN generate_series(1, i.indnatts) AS k(position)
        LEFT JOIN pg_opclass opc ON k.position <= i.indnkeyatts AND opc.oid = i.indclass[k.position - 1]
        LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.position - 1]
        LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.position - 1]
        WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
          AND NOT EXISTS (SELECT FROM pg_constraint x WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid AND x.contype IN ('p', 'u', 'x'))
          AND \(inNamespaces("n")) AND \(notInExtension("pg_class", "c.oid"))
        ORDER BY 1, 2, 3, k.position
        """

    /// Enums with their labels in sort order, and domains.
    static let types = """
        SELECT n.nspname, t.typname, t.typtype, obj_description(t.oid, 'pg_type'),
               (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
               format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd') AND \(inNamespaces("n")) AND \(notInExtension("pg_type", "t.oid"))
        ORDER BY 1, 2
        """

    static let extensions = """
        SELECT e.extname, n.nspname, e.extversion
        FROM pg_extension e
        JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE \(inNamespaces("n"))
        ORDER BY 1
        """

    /// Functions and procedures (aggregates and window functions are not read).
    static let routines = """
        SELECT n.nspname, p.proname, p.prokind, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid),
               obj_description(p.oid, 'pg_proc')
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prokind IN ('f', 'p') AND \(inNamespaces("n")) AND \(notInExtension("pg_proc", "p.oid"))
        ORDER BY 1, 2, 4
        """

    /// User triggers (not those PostgreSQL makes for foreign keys) and rules (not a view's
    /// own `_RETURN` rule), both with the statement that creates them.
    static let triggersAndRules = """
        SELECT 'trigger', n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid, true)
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND \(inNamespaces("n")) AND \(notInExtension("pg_trigger", "t.oid"))
        UNION ALL
        SELECT 'rule', n.nspname, c.relname, r.rulename, pg_get_ruledef(r.oid, true)
        FROM pg_rewrite r
        JOIN pg_class c ON c.oid = r.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE r.rulename <> '_RETURN' AND \(inNamespaces("n")) AND \(notInExtension("pg_rewrite", "r.oid"))
        ORDER BY 1, 2, 3, 4
        """

    private static func inNamespaces(_ alias: String) -> String {
        "\(alias).nspname IN (SELECT json_array_elements_text($1::json))"
    }

    private static func notInExtension(_ catalog: String, _ oid: String) -> String {
        "NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = '\(catalog)'::regclass AND e.objid = \(oid) AND e.deptype = 'e')"
    }
}
