import ArgumentParser

/// A `NAME=VALUE` argument (`--param campaign=456`): the name is not empty; the value may be. Every `--param`
/// option parses with ``init(parsing:)``, so a missing `=` is one usage error naming the option.
struct Assignment: Sendable, Equatable {
    var name: String
    var value: String

    /// Splits at the first `=`.
    init(parsing argument: String) throws {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ValidationError("expected NAME=VALUE")
        }
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }

    /// The assignments as a dictionary; a name given twice keeps its last value, as a shell user expects.
    static func dictionary(_ assignments: [Assignment]) -> [String: String] {
        Dictionary(assignments.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
