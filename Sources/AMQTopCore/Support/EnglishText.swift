/// Counts and lists in plain English for messages: "1 lab broker", "3 lab brokers", "b1 and b2 both".
///
/// One place for the grammar, so no message says "1 lab brokers" or "b1 and b2 all claim".
public enum EnglishText {
    /// "1 broker", "0 brokers", "3 brokers"; `plural` when the noun does not just take an "s".
    public static func count(_ number: Int, _ singular: String, plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
    }

    /// "a", "a and b", "a, b and c"; empty for no names.
    public static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count <= 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + last
    }

    /// The list with the quantifier its size asks for: "a", "a and b both", "a, b and c all".
    public static func listWithQuantifier(_ names: [String]) -> String {
        switch names.count {
        case 0, 1: list(names)
        case 2: list(names) + " both"
        default: list(names) + " all"
        }
    }
}
