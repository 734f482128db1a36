@testable import StrataSchema
import Testing

/// The SQL `strata new --rename-column` / `--change-type` writes for a given column definition,
/// without a database.
@Suite struct ColumnReplacementTests {
    let people = Table(
        name: QualifiedName("people"),
        columns: [
            Column(name: "id", type: "integer", nullable: false),
            Column(name: "name", type: "text", nullable: false, defaultValue: "'anon'::text", collation: "C", comment: "shown on badges"),
            Column(name: "org", type: "integer"),
        ],
        primaryKey: PrimaryKey(name: "people_pkey", columns: ["id"]),
        uniques: [UniqueConstraint(name: "people_org_name_key", columns: ["org", "name"], deferrable: .initiallyDeferred)],
        foreignKeys: [ForeignKey(name: "people_org_fkey", columns: ["org"], referencedTable: QualifiedName("orgs"), referencedColumns: ["id"])],
        checks: [CheckConstraint(name: "people_name_check", expression: "length(name) > 0"),
                 CheckConstraint(name: "people_org_check", expression: "org > 0")],
        indexes: [Index(name: "people_name_idx", keys: [Index.Key("name")]),
                  Index(name: "people_lower", unique: true, keys: [Index.Key("lower(name)", isColumn: false)], predicate: "org IS NOT NULL"),
                  Index(name: "people_org_idx", keys: [Index.Key("org")])])

    func replacement(_ text: String = "people.name:full_name", type: Bool = false, table: Table? = nil, others: [Table] = []) throws -> ColumnReplacement {
        try ColumnReplacement(parsing: text, requiringType: type).carrying(from: Schema(tables: [table ?? people] + others), source: "the schema the migrations build")
    }

    /// `people` with `amount` in place of `name`: its one CHECK `people_amount_check` and one index `people_amount_idx`.
    func withAmount(_ amount: Column, check: String) -> Table {
        var table = people
        table.columns[1] = amount
        table.checks = [CheckConstraint(name: "people_amount_check", expression: check)]
        table.uniques = []
        table.indexes = [Index(name: "people_amount_idx", keys: [Index.Key("amount")])]
        return table
    }

    @Test func theExpandAddsTheColumnItsNotValidChecksTheBackfillAndThenTheValidations() throws {
        let expand = try replacement().migrations[0].up
        let lines = expand.split(separator: "\n").map(String.init)
        #expect(lines.contains("ALTER TABLE people ADD COLUMN full_name text COLLATE \"C\";"))
        #expect(lines.contains("COMMENT ON COLUMN people.full_name IS 'shown on badges';"))
        #expect(!expand.contains("SET DEFAULT"), "a default during the expand would stop the trigger from copying old-version inserts")
        let order = [
            "ALTER TABLE people ADD CONSTRAINT people_full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID;",
            "ALTER TABLE people ADD CONSTRAINT people_full_name_check CHECK (length(full_name) > 0) NOT VALID;",
            "-- strata:backfill",
            "UPDATE people SET full_name = name WHERE full_name IS NULL AND name IS NOT NULL;",
            "ALTER TABLE people VALIDATE CONSTRAINT people_full_name_not_null;",
            "ALTER TABLE people VALIDATE CONSTRAINT people_full_name_check;",
        ].map { lines.firstIndex(of: $0) }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0 ?? 0 } == order.map { $0 ?? 0 }.sorted(), "\(expand)")
        #expect(!expand.contains("people_org_check") && !expand.contains("people_org_fkey"), "constraints of other columns stay as they are")
        #expect(expand.contains("--   DEFAULT 'anon'::text: set by the contract"))
    }

    @Test func indexesAreBuiltConcurrentlyInAMigrationOfTheirOwnThatCanRunAgain() throws {
        let migrations = try replacement().migrations
        #expect(migrations.map(\.suffix) == ["", " indexes", " contract"])
        let builds = migrations[1].up.split(separator: "\n").filter { !$0.hasPrefix("--") }
        #expect(builds == [
            "DROP INDEX CONCURRENTLY IF EXISTS people_org_full_name_key;",
            "CREATE UNIQUE INDEX CONCURRENTLY people_org_full_name_key ON people (org, full_name);",
            "DROP INDEX CONCURRENTLY IF EXISTS people_full_name_idx;",
            "CREATE INDEX CONCURRENTLY people_full_name_idx ON people (full_name);",
            "DROP INDEX CONCURRENTLY IF EXISTS people_lower_full_name;",
            "CREATE UNIQUE INDEX CONCURRENTLY people_lower_full_name ON people ((lower(full_name))) WHERE org IS NOT NULL;",
        ])
        #expect(migrations[1].down == "DROP INDEX CONCURRENTLY IF EXISTS people_org_full_name_key;\nDROP INDEX CONCURRENTLY IF EXISTS people_full_name_idx;\nDROP INDEX CONCURRENTLY IF EXISTS people_lower_full_name;\n")
    }

    @Test func theContractSetsDefaultAndNotNullInOneStatementAndRestoresTheNames() throws {
        let contract = try #require(try replacement().migrations.last)
        #expect(contract.down == nil)
        let body = contract.up.split(separator: "\n").filter { !$0.hasPrefix("--") || $0.hasPrefix("-- strata:") }.joined(separator: "\n")
        #expect(body == """
            -- strata:phase=contract
            DROP TRIGGER strata_sync_name_full_name ON people;
            DROP FUNCTION strata_sync_people_name_full_name();
            ALTER TABLE people DROP COLUMN name,
                ALTER COLUMN full_name SET DEFAULT 'anon'::text,
                ALTER COLUMN full_name SET NOT NULL;
            ALTER TABLE people DROP CONSTRAINT people_full_name_not_null;
            ALTER TABLE people RENAME CONSTRAINT people_full_name_check TO people_name_check;
            ALTER TABLE people ADD CONSTRAINT people_org_name_key UNIQUE USING INDEX people_org_full_name_key DEFERRABLE INITIALLY DEFERRED;
            ALTER INDEX people_full_name_idx RENAME TO people_name_idx;
            ALTER INDEX people_lower_full_name RENAME TO people_lower;
            """)
    }

    @Test func aTypeChangeCastsBothWaysAndRestatesItsConstraintsOnTheNewType() throws {
        let table = withAmount(Column(name: "amount", type: "integer", nullable: true, defaultValue: "0"), check: "amount >= 0 AND amount::text <> '13'")
        let migrations = try replacement("people.amount:amount_cents:bigint", type: true, table: table).migrations
        let expand = migrations[0].up
        #expect(expand.contains("ALTER TABLE people ADD COLUMN amount_cents bigint;"))
        #expect(expand.contains("NEW.amount_cents := NEW.amount::bigint;") && expand.contains("NEW.amount := NEW.amount_cents::integer;"))
        #expect(expand.contains("UPDATE people SET amount_cents = amount::bigint WHERE amount_cents IS NULL AND amount IS NOT NULL;"))
        #expect(expand.contains("CHECK (amount_cents >= 0 AND amount_cents::text <> '13') NOT VALID;"))
        #expect(!expand.contains("IS NOT NULL) NOT VALID"), "a nullable column gets no NOT NULL check")
        #expect(migrations[1].up.contains("CREATE INDEX CONCURRENTLY people_amount_cents_idx ON people (amount_cents);"))
        #expect(migrations[2].up.contains("ALTER TABLE people DROP COLUMN amount,\n    ALTER COLUMN amount_cents SET DEFAULT 0;"))
    }

    @Test func aTypeChangeLeavesTheCollationBehindAsAlterColumnTypeDoes() throws {
        let expand = try replacement("people.name:full_name:varchar(80)", type: true).migrations[0].up
        #expect(expand.contains("ALTER TABLE people ADD COLUMN full_name varchar(80);"), "\(expand)")
        #expect(!expand.contains("COLLATE"))
    }

    @Test func aTypeChangeIsTriedOnTheNewTypeBeforeTheFilesAreWritten() throws {
        let table = withAmount(Column(name: "amount", type: "text", nullable: false, defaultValue: "'0'::text"), check: "amount ~ '^[0-9]+$'")
        let trial = try replacement("people.amount:cents:bigint", type: true, table: table).trial
        #expect(trial.map(\.what) == ["the column cents bigint", "the constraint people_amount_check", "the index people_amount_idx", "the default '0'::text"])
        #expect(trial.map(\.sql) == [
            "ALTER TABLE people ADD COLUMN cents bigint;",
            "ALTER TABLE people ADD CONSTRAINT people_cents_check CHECK (cents ~ '^[0-9]+$') NOT VALID;",
            "CREATE INDEX people_cents_idx ON people (cents);",
            "ALTER TABLE people ALTER COLUMN cents SET DEFAULT '0'::text;",
        ])
        #expect(try replacement().trial.isEmpty, "a rename's definitions fit by construction")
    }

    @Test func withoutADefinitionTheFilesSayWhatIsNotCarriedAndWhy() throws {
        var replacement = try ColumnReplacement(parsing: "people.name:full_name", requiringType: false)
        replacement.notCarriedBecause = "--definition-from none was given"
        let migrations = replacement.migrations
        #expect(migrations.count == 2)
        #expect(migrations[0].up.contains("-- Not carried: name's default, NOT NULL, CHECK constraints, foreign keys and indexes, because --definition-from none was given."))
        #expect(migrations[0].up.contains("DO $strata$"), "the type is read when the migration runs")
        #expect(migrations[1].up.contains("ALTER TABLE people DROP COLUMN name;"))
    }

    @Test func aForeignKeyOfTheColumnIsRestatedNotValid() throws {
        var table = people
        table.foreignKeys = [ForeignKey(name: "people_name_fkey", columns: ["name"], referencedTable: QualifiedName("names"), referencedColumns: ["value"], onDelete: .cascade)]
        let expand = try replacement(table: table).migrations[0].up
        #expect(expand.contains("ALTER TABLE people ADD CONSTRAINT people_full_name_fkey FOREIGN KEY (full_name) REFERENCES names (value) ON DELETE CASCADE NOT VALID;"))
        #expect(expand.contains("ALTER TABLE people VALIDATE CONSTRAINT people_full_name_fkey;"))
    }

    @Test func whatCannotBeCarriedIsRefusedNamingItAndWhatToDo() throws {
        #expect(throws: ColumnReplacementError.self) { try replacement("people.nick:full_name") }
        #expect(throws: ColumnReplacementError.self) { try replacement("people.name:org") }
        #expect(throws: ColumnReplacementError.self) { try replacement("people.id:key") }
        let referencing = Table(name: QualifiedName("badges"), columns: [Column(name: "holder", type: "text")],
                                foreignKeys: [ForeignKey(name: "badges_holder_fkey", columns: ["holder"], referencedTable: QualifiedName("people"), referencedColumns: ["name"])])
        let error = try #require(throwing(try replacement(others: [referencing])))
        #expect(error.description.contains("badges_holder_fkey") && error.description.contains("RENAME COLUMN"))

        var qualified = people
        qualified.checks = [CheckConstraint(name: "people_odd", expression: "(people.name) <> ''")]
        let check = try #require(throwing(try replacement(table: qualified)))
        #expect(check.description.hasPrefix("The CHECK constraint people_odd of people cannot be restated on full_name: it names name through a qualified name"), "\(check)")
        var unnamed = people
        unnamed.checks = [CheckConstraint(expression: "name <> ''")]
        #expect(throws: ColumnReplacementError.self) { try replacement(table: unnamed) }
    }

    @Test func identityGeneratedAndExclusionConstrainedColumnsAreRefusedPointingToAPlainRename() throws {
        var identity = people, generated = people
        identity.columns[1] = Column(name: "name", type: "integer", nullable: false, identity: .always)
        generated.columns[1] = Column(name: "name", type: "text", generated: "'p' || org")
        for (table, what) in [(identity, "is an identity column"), (generated, "is a generated column")] {
            let error = try #require(throwing(try replacement(table: table)))
            #expect(error.description.hasPrefix("people.name \(what), whose values a trigger cannot copy: rename it with ALTER TABLE … RENAME COLUMN"), "\(error)")
        }
        let exclusion = OpaqueObject(kind: "exclusion constraint", name: QualifiedName(schema: nil, "people.people_name_excl"),
                                     definition: "ALTER TABLE people ADD CONSTRAINT people_name_excl EXCLUDE USING gist (name WITH =);",
                                     drop: "ALTER TABLE people DROP CONSTRAINT people_name_excl;")
        let error = try #require(throwing(try ColumnReplacement(parsing: "people.name:full_name", requiringType: false)
            .carrying(from: Schema(tables: [people], others: [exclusion]), source: "the schema the migrations build")))
        #expect(error.description.hasPrefix("The exclusion constraint people.people_name_excl involves people.name and cannot be restated on full_name"), "\(error)")
    }

    @Test func restatingFindsTheColumnWherePostgreSQLReadsItAsOne() throws {
        #expect(try ColumnRestatement.substituting("name", with: "Full Name", in: "name::name <> 'name' AND \"name\" <> name(x) AND NAME > ''")
                == "\"Full Name\"::name <> 'name' AND \"Full Name\" <> name(x) AND \"Full Name\" > ''")
        #expect(!ColumnRestatement.mentions("names <> '' AND x::name IS NULL", "name"))
        #expect(throws: ColumnRestatement.Refusal.self) { try ColumnRestatement.substituting("name", with: "n", in: "p.name <> ''") }
        #expect(ColumnRestatement.temporaryName(for: "people_name_idx", replacing: "name", with: "full_name") == "people_full_name_idx")
        #expect(ColumnRestatement.temporaryName(for: "by_first_name", replacing: "first_name", with: "given") == "by_given")
        #expect(ColumnRestatement.temporaryName(for: "people_lookup", replacing: "name", with: "full_name") == "people_lookup_full_name")
        #expect(ColumnRestatement.temporaryName(for: String(repeating: "x", count: 60), replacing: "name", with: "full_name").utf8.count == 63)
    }

    private func throwing(_ body: @autoclosure () throws -> ColumnReplacement) -> ColumnReplacementError? {
        do {
            _ = try body()
            return nil
        } catch let error as ColumnReplacementError {
            return error
        } catch {
            return nil
        }
    }
}
