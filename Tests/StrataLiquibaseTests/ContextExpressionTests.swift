import Testing
@testable import StrataLiquibase

@Suite struct ContextExpressionTests {
    func context(_ text: String) throws -> ContextExpression { try ContextExpression(parsing: text) }

    @Test func commasAreOr() throws {
        let expression = try context("test, qa")
        #expect(expression.matches(["qa"]))
        #expect(expression.matches(["TEST"]))
        #expect(!expression.matches(["prod"]))
    }

    @Test func andBindsTighterThanOr() throws {
        // a or (b and c): true with only a given, false with only b.
        let expression = try context("a or b and c")
        #expect(expression.matches(["a"]))
        #expect(!expression.matches(["b"]))
        #expect(expression.matches(["b", "c"]))
    }

    @Test func parenthesesGroup() throws {
        let expression = try context("(a or b) and c")
        #expect(!expression.matches(["a"]))
        #expect(expression.matches(["a", "c"]))
    }

    @Test func negationWithBangAndNot() throws {
        #expect(try context("!prod").matches(["test"]))
        #expect(!(try context("!prod").matches(["prod"])))
        #expect(!(try context("not prod").matches(["prod"])))
        #expect(try context("not (a or b)").matches(["c"]))
    }

    @Test func noContextsRunsAllButMandatory() throws {
        #expect(try context("test").matches([]))
        #expect(try context("!test").matches([]))
        #expect(!(try context("@test").matches([])))
        #expect(try context("@test").matches(["test"]))
        #expect(try context("a or @b").matches([]))
    }

    @Test func emptyFilterRunsUnlessAContextIsMarked() {
        #expect(ContextExpression.empty.matches([]))
        #expect(ContextExpression.empty.matches(["test"]))
        #expect(!ContextExpression.empty.matches(["@test"]))
    }

    @Test func markedRuntimeContextsCompareWithoutTheirAt() throws {
        #expect(try context("test").matches(["@test"]))
    }

    @Test func keywordsInsideNamesAreNames() throws {
        #expect(try context("order").matches(["order"]))
        #expect(try context("android and notes").matches(["android", "notes"]))
    }

    @Test func commaInsideParenthesesIsAnError() {
        #expect(throws: FilterExpressionError.self) { try context("(a, b) and c") }
        #expect(throws: FilterExpressionError.self) { try context("(a or b") }
        #expect(throws: FilterExpressionError.self) { try context("a and") }
    }

    @Test func labelsReverseTheRoles() throws {
        let filter = try LabelExpression(parsing: "v1 and !beta")
        #expect(filter.matches(["v1"]))
        #expect(!filter.matches(["v1", "beta"]))
        // A changeset without labels runs under any filter with no `@`.
        #expect(filter.matches([]))
        #expect(!(try LabelExpression(parsing: "@v1").matches([])))
        #expect(LabelExpression.empty.matches(["anything"]))
    }
}
