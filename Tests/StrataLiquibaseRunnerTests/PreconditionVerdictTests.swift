import StrataLiquibase
import StrataLiquibaseRunner
import Testing

@Suite struct PreconditionVerdictTests {
    let here = ChangelogLocation(file: "changelog.xml", line: 4)

    struct Answers: PreconditionProbe {
        let tables: Set<String>
        func holds(_ condition: Precondition) throws -> Bool {
            guard case .tableExists(_, let table) = condition else { throw Unanswerable() }
            return tables.contains(table)
        }
        struct Unanswerable: Error, CustomStringConvertible { var description: String { "cannot tell" } }
    }

    @Test func andOrNotCombineTheProbesAnswers() {
        let probe = Answers(tables: ["a"])
        let a = Precondition.tableExists(schema: nil, table: "a"), b = Precondition.tableExists(schema: nil, table: "b")
        func outcome(_ conditions: [Precondition]) -> PreconditionOutcome {
            PreconditionEvaluator.evaluate(Preconditions(conditions: conditions, location: here), probe: probe)
        }
        #expect(outcome([a]) == .passed)
        #expect(outcome([a, b]) == .failed("tableExists b does not hold"))
        #expect(outcome([.or([b, a])]) == .passed)
        #expect(outcome([.and([a, b])]) == .failed("and(tableExists a, tableExists b) does not hold"))
        #expect(outcome([.not([b])]) == .passed)
        #expect(outcome([.not([b, a])]) == .failed("not(tableExists b, tableExists a) does not hold"))
        #expect(outcome([.runningAs(username: "x")]) == .errored("cannot tell"))
    }

    @Test func onFailAndOnErrorChooseTheVerdict() {
        let actions: [(PreconditionFailureAction, PreconditionVerdict)] = [
            (.halt, .halt("why")), (.continue, .skip("why")), (.markRan, .markRan("why")), (.warn, .runWithWarning("why")),
        ]
        for (action, verdict) in actions {
            #expect(PreconditionVerdict.of(.failed("why"), under: Preconditions(onFail: action, conditions: [], location: here)) == verdict)
            #expect(PreconditionVerdict.of(.errored("why"), under: Preconditions(onError: action, conditions: [], location: here)) == verdict)
        }
        #expect(PreconditionVerdict.of(.passed, under: Preconditions(onFail: .halt, conditions: [], location: here)) == .run)
        let custom = Preconditions(onFail: .halt, onFailMessage: "run 3.3 first", conditions: [], location: here)
        #expect(PreconditionVerdict.of(.failed("why"), under: custom) == .halt("run 3.3 first"))
    }
}
