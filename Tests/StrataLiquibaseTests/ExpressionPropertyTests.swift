import PropertyBased
import Testing
@testable import StrataLiquibase

/// Random context expressions, printed and parsed back, evaluate like the boolean formula
/// they were printed from: `and` binds tighter than `or`, parentheses group, `not` negates.
@Suite struct ExpressionPropertyTests {
    /// A formula built from a stream of numbers, so the property library's integers drive it.
    indirect enum Formula {
        case name(String)
        case not(Formula)
        case and(Formula, Formula)
        case or(Formula, Formula)
        case group(Formula)

        static func build(_ numbers: inout IndexingIterator<[Int]>, depth: Int) -> Formula {
            let pick = numbers.next() ?? 0
            if depth > 3 { return .name(["a", "b", "c"][pick % 3]) }
            switch pick % 6 {
            case 0, 1: return .name(["a", "b", "c"][pick % 3])
            case 2: return .not(.group(build(&numbers, depth: depth + 1)))
            case 3: return .and(build(&numbers, depth: depth + 1), build(&numbers, depth: depth + 1))
            case 4: return .or(build(&numbers, depth: depth + 1), build(&numbers, depth: depth + 1))
            default: return .group(build(&numbers, depth: depth + 1))
            }
        }

        /// The text, with no parentheses but those of `group`: precedence decides the rest.
        var text: String {
            switch self {
            case .name(let name): name
            case .not(let inner): "!" + inner.text
            case .and(let left, let right): left.text + " and " + right.text
            case .or(let left, let right): left.text + " or " + right.text
            case .group(let inner): "(" + inner.text + ")"
            }
        }

        /// The value the text means under standard precedence: evaluate the text's own reading.
        func value(_ items: Set<String>) -> Bool {
            Self.evaluate(Self.tokens(text)[...], items)
        }

        static func tokens(_ text: String) -> [String] {
            text.replacing("(", with: " ( ").replacing(")", with: " ) ").replacing("!", with: " ! ")
                .split(separator: " ").map(String.init)
        }

        /// A reference reading: or of ands of possibly negated atoms or groups.
        static func evaluate(_ tokens: ArraySlice<String>, _ items: Set<String>) -> Bool {
            var rest = tokens
            return orExpression(&rest, items)
        }

        static func orExpression(_ rest: inout ArraySlice<String>, _ items: Set<String>) -> Bool {
            var value = andExpression(&rest, items)
            while rest.first == "or" { rest.removeFirst(); value = andExpression(&rest, items) || value }
            return value
        }

        static func andExpression(_ rest: inout ArraySlice<String>, _ items: Set<String>) -> Bool {
            var value = atom(&rest, items)
            while rest.first == "and" { rest.removeFirst(); value = atom(&rest, items) && value }
            return value
        }

        static func atom(_ rest: inout ArraySlice<String>, _ items: Set<String>) -> Bool {
            let token = rest.removeFirst()
            if token == "!" { return !atom(&rest, items) }
            if token == "(" {
                let value = orExpression(&rest, items)
                rest.removeFirst()
                return value
            }
            return items.contains(token)
        }
    }

    @Test func printedFormulasParseToTheirMeaning() async {
        let items = Gen.int(in: 0...2).map { ["a", "b", "c"][$0] }.set(ofAtMost: 3)
        await propertyCheck(count: 300, input: Gen.int(in: 0...59).array(of: 1...20), items) { numbers, items in
            guard !items.isEmpty else { return }
            var stream = numbers.makeIterator()
            let formula = Formula.build(&stream, depth: 0)
            let expression = try ContextExpression(parsing: formula.text)
            #expect(expression.matches(items) == formula.value(items), "\(formula.text) with \(items.sorted())")
        }
    }

    @Test func commaListsMeanOr() async {
        let name = Gen.int(in: 0...3).map { ["a", "b", "c", "d"][$0] }
        await propertyCheck(input: name.array(of: 1...4), name.set(ofAtMost: 4)) { names, items in
            guard !items.isEmpty else { return }
            let commas = try ContextExpression(parsing: names.joined(separator: ", "))
            let ors = try ContextExpression(parsing: names.joined(separator: " or "))
            #expect(commas.matches(items) == ors.matches(items))
            #expect(commas.matches(items) == names.contains(where: items.contains))
        }
    }
}
