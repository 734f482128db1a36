import Strata
import StrataLint
import Testing

@Suite struct PostgresBackfillReaderTests {
    let reader = PostgresBackfillReader()

    @Test func anUpdateGivesItsTableAliasAssignmentsAndCondition() throws {
        let backfill = try reader.backfill(from: """
            UPDATE app.accounts AS a
               SET note = 'where; (set)' || a.id, "Where" = $$ WHERE $$, flag = (SELECT true WHERE 1 = 1) -- where
             WHERE a.note IS NULL
               AND a.id > 0
            """)
        #expect(backfill.table == TableName(schema: "app", name: "accounts"))
        #expect(backfill.alias == "a")
        #expect(backfill.change == .update(assignments: #"note = 'where; (set)' || a.id, "Where" = $$ WHERE $$, flag = (SELECT true WHERE 1 = 1) -- where"#))
        #expect(backfill.condition == "a.note IS NULL\n   AND a.id > 0")
    }

    @Test func aDeleteAndAnUpdateOfEveryRow() throws {
        #expect(try reader.backfill(from: "DELETE FROM Logs WHERE at < now() - interval '90 days'")
            == Backfill(table: TableName(schema: nil, name: "logs"), change: .delete, condition: "at < now() - interval '90 days'"))
        #expect(try reader.backfill(from: "update \"Big\" set filler = upper(filler)")
            == Backfill(table: TableName(schema: nil, name: "Big"), change: .update(assignments: "filler = upper(filler)")))
    }

    @Test func statementsThatCannotBeBatchedSayWhy() {
        let refused = [
            ("UPDATE t SET a = u.a FROM u WHERE u.id = t.id", "FROM"),
            ("DELETE FROM t USING u WHERE u.id = t.id", "USING"),
            ("UPDATE t SET a = 1 RETURNING id", "RETURNING"),
            ("WITH x AS (SELECT 1) UPDATE t SET a = 1", "WITH"),
            ("INSERT INTO t VALUES (1)", "only an UPDATE or a DELETE"),
            ("UPDATE t SET a = 1 WHERE CURRENT OF c", "CURRENT OF"),
            ("UPDATE t SET", "grammar rejects"),
        ]
        for (statement, reason) in refused {
            let error = #expect(throws: BackfillStatementError.self, "\(statement)") { try reader.backfill(from: statement) }
            #expect(error?.message.contains(reason) == true, "\(statement): \(error?.message ?? "")")
        }
    }
}
