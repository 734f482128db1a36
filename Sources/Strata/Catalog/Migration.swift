/// One migration the catalog knows of: what it is, where it came from and what it runs.
public struct Migration: Sendable, Hashable {
    /// What a migration is to the planner, named after Flyway's file prefixes.
    public enum Kind: String, Sendable, Hashable {
        /// `V<version>__<description>`: runs once, in version order.
        case versioned
        /// `B<version>__<description>`: replaces the versioned migrations up to its version on an empty database.
        case baseline
        /// `R__<description>`: runs after the versioned ones, and again whenever its checksum changes.
        case repeatable
        /// `U<version>__<description>`: reverts the versioned migration of the same version.
        case undo
        /// `<event>.sql` or `<event>__<description>.sql`: runs at that event (`beforeMigrate`, `afterEachMigrate` and the like).
        case callback
    }

    /// Versioned, repeatable, baseline, undo or callback.
    public let kind: Kind
    /// Nil for repeatable migrations.
    public let version: MigrationVersion?
    /// The words after the version (`_` read as a space): the repeatable migrations' identity.
    public let description: String
    /// The path relative to its location, as stored in the history table's `script` column.
    public let script: String
    /// The path of the file as found on disk, for messages: its location's folder and ``script``.
    public var path: String { folder.isEmpty ? script : folder + "/" + script }
    /// The folder of its location as given, empty for the working directory and for code
    /// migrations: one string that a location's files share, where a path each cost 0.8 MiB
    /// at 10,000 migrations.
    let folder: String
    /// Its file as a key made of the strings the catalog already holds (building ``path`` for
    /// every migration would allocate one string each).
    package var file: FileKey { FileKey(folder: folder, script: script) }
    /// Flyway's checksum of the SQL; for a code migration, the one it declares (or nil).
    public let checksum: Int32?
    /// Where its SQL is: in memory, or in its file, read again when the SQL is needed (``sql``).
    let source: SQLSource
    /// Whether its SQL holds `${`, noted when the file was read: ``Placeholders`` reads again
    /// only the files that may have placeholders.
    package let mentionsPlaceholders: Bool
    /// The Swift closure a code migration runs instead of SQL.
    let code: CodeBody?
    /// What the file layout says about running it (dbmate's `transaction:false`); a
    /// `-- strata:` header in the SQL adds to it.
    package let directives: ScriptDirectives

    init(
        kind: Kind, version: MigrationVersion?, description: String, script: String, folder: String,
        checksum: Int32?, source: SQLSource, mentionsPlaceholders: Bool, directives: ScriptDirectives = ScriptDirectives()
    ) {
        self.code = nil
        self.kind = kind
        self.version = version
        self.description = description
        self.script = script
        self.folder = folder
        self.checksum = checksum
        self.source = source
        self.mentionsPlaceholders = mentionsPlaceholders
        self.directives = directives
    }

    /// A migration whose SQL is held in memory.
    init(
        kind: Kind, version: MigrationVersion?, description: String, script: String, folder: String,
        checksum: Int32?, sql: String, directives: ScriptDirectives = ScriptDirectives()
    ) {
        self.init(kind: kind, version: version, description: description, script: script, folder: folder, checksum: checksum,
                  source: .text(sql), mentionsPlaceholders: SQLText.containsPlaceholder(sql),
                  directives: directives.declaringPhase(of: sql))
    }

    /// A code migration (see ``CodeMigration``).
    init(kind: Kind, version: MigrationVersion?, description: String, script: String, checksum: Int32?,
         code: CodeBody, directives: ScriptDirectives) {
        self.kind = kind
        self.version = version
        self.description = description
        self.script = script
        self.folder = ""
        self.checksum = checksum
        self.source = .text("")
        self.mentionsPlaceholders = false
        self.code = code
        self.directives = directives
    }

    /// Whether it runs Swift code rather than SQL.
    public var isCode: Bool { code != nil }

    /// Builds a migration from SQL text, computing its Flyway checksum: for tests and for
    /// migrations a library user assembles in code.
    public init(kind: Kind, version: String?, description: String, script: String, sql: String) {
        self.init(
            kind: kind, version: version.flatMap(MigrationVersion.init), description: description,
            script: script, folder: "", checksum: FlywayChecksum.of(sql), sql: sql)
    }
}

/// A migration's file: its location's folder and its path there.
package struct FileKey: Hashable, Sendable {
    let folder: String
    let script: String
}
