import Foundation
import Testing

@testable import AMQTopCore

/// The one sanitiser for human-readable output (issue 14, terminal injection).
struct TerminalTextTests {
    static let cases: [(String, String)] = [
        ("plain 5.17.2", "plain 5.17.2"),
        ("\u{1b}[2J\u{1b}[H", "\\x1b[2J\\x1b[H"),
        ("title\u{1b}]0;pwned\u{07}", "title\\x1b]0;pwned\\x07"),
        ("row\r\nGROUP fake  OK", "row\\x0d\\x0aGROUP fake  OK"),
        ("tab\there", "tab\\x09here"),
        ("nul\u{0}byte", "nul\\x00byte"),
        ("del\u{7f}", "del\\u007f"),
        ("c1 csi \u{9b}31m", "c1 csi \\u009b31m"),
        ("rtl \u{202e}gnp.exe", "rtl \\u202egnp.exe"),
        ("isolate \u{2066}x\u{2069}", "isolate \\u2066x\\u2069"),
        ("line\u{2028}sep", "line\\u2028sep"),
        ("kept: é 漢字 👩‍👩‍👧", "kept: é 漢字 👩‍👩‍👧"),
    ]

    @Test(arguments: cases)
    func controlsAreShownNotExecuted(_ input: String, _ expected: String) {
        #expect(TerminalText.visible(input) == expected)
        // Idempotent: what it writes holds nothing it would escape again.
        #expect(TerminalText.visible(expected) == expected)
    }

    @Test func visibleLinesKeepsOnlyLineFeeds() {
        #expect(TerminalText.visibleLines("a\u{1b}[31m\nb\r\n") == "a\\x1b[31m\nb\\x0d\n")
    }

    /// The `\u` escapes are JSON's own: a JSON document passed through keeps its meaning.
    @Test func jsonPassedThroughStillParsesToTheSameValue() throws {
        let raw = "{\"v\":\"a\u{202e}b\u{7f}c\u{85}\"}"
        let shown = TerminalText.visibleLines(raw)
        #expect(!shown.unicodeScalars.contains(where: TerminalText.needsEscape))
        let decoded = try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: String]
        #expect(decoded?["v"] == "a\u{202e}b\u{7f}c\u{85}")
    }
}
