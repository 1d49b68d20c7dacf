import Foundation
import Testing
@testable import AMQTopScreen

#if canImport(Glibc)
import Glibc
#endif

/// The cell-writing rules: joined emoji, flags, skin tones, VS16, bidi controls and
/// non-UTF-8 terminals give cells whose width the terminal agrees on, and no frame leaves
/// leftovers of an earlier one.
struct CellTextTests {
    /// (text, what the screen shows, its columns) on a UTF-8 terminal.
    static let unicodeCases: [(String, String, Int)] = [
        ("plain", "plain", 5),
        ("日本", "日本", 4),
        ("👨‍👩‍👧‍👦", "👨", 2),                     // family: ZWJ sequence keeps its first person
        ("🏳️‍🌈", "🏳", 1),                        // rainbow flag: white flag (narrow) + VS16 + ZWJ + rainbow
        ("👍🏽", "👍", 2),                          // skin tone modifier dropped
        ("❤️", "❤", 1),                            // VS16 on a narrow base: text presentation
        ("☺︎", "☺", 1),                             // VS15
        ("🇩🇪", "DE", 2),                          // flag: its letters
        ("🇺🇸🇫🇷", "USFR", 4),
        ("🇦", "A", 1),                             // a lone regional indicator
        ("1️⃣", "1\u{20E3}", 1),                    // keycap: digit + enclosing mark kept, VS16 dropped
        ("e\u{301}", "e\u{301}", 1),               // combining acute kept in its cell
        ("a\u{300}\u{301}\u{302}\u{303}\u{304}", "a\u{300}\u{301}\u{302}", 1), // zalgo capped at three marks
        ("\u{301}x", "?x", 2),                     // a mark with no base
        ("evil\u{202E}txt.exe", "evil?txt.exe", 12), // RIGHT-TO-LEFT OVERRIDE
        ("\u{202A}\u{202B}\u{202C}\u{202D}", "????", 4),
        ("\u{2066}a\u{2067}b\u{2068}c\u{2069}", "?a?b?c?", 7),
        ("\u{200E}x\u{200F}", "?x?", 3),
        ("\u{061C}", "?", 1),                      // ARABIC LETTER MARK
        ("zero\u{200B}width", "zero?width", 10),   // ZERO WIDTH SPACE
        ("a\u{1B}[2Jb", "a[2Jb", 5),               // ESC dropped, the rest is harmless text
        ("tab\there", "tabhere", 7),
        ("\u{85}nel", "nel", 3),                   // C1 NEL dropped
        ("한국어", "한국어", 6),
        ("\u{1100}\u{1161}\u{11A8}", "\u{1100}", 2), // conjoining jamo: the leading consonant's cell
    ]

    @Test func everyCaseShowsWhatTheRulesSayInTheColumnsCounted() {
        for (text, shown, columns) in Self.unicodeCases {
            #expect(CellText.shown(text) == shown, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(DisplayWidth.of(text) == columns, "\(shown)")
            var buffer = Buffer(width: 40, height: 1)
            #expect(buffer.write(text, x: 0, y: 0) == columns, "\(shown)")
            #expect(buffer.rowText(0).trimmingCharacters(in: .whitespaces) == shown.trimmingCharacters(in: .whitespaces), "\(shown)")
        }
    }

    /// Under `LANG=C` each non-ASCII grapheme is one `?`: what curses prints there, one column.
    @Test func anASCIIOnlyBufferWritesOneQuestionMarkAColumn() {
        let cases: [(String, String)] = [
            ("b1", "b1"), ("日本", "??"), ("👨‍👩‍👧‍👦x", "?x"), ("🇩🇪", "?"), ("e\u{301}", "?"),
            ("evil\u{202E}txt", "evil?txt"), ("grüne", "gr?ne"), ("a\u{1B}b", "ab"),
        ]
        for (text, shown) in cases {
            var buffer = Buffer(width: 20, height: 1, asciiOnly: true)
            let end = buffer.write(text, x: 0, y: 0)
            #expect(buffer.rowText(0).trimmingCharacters(in: .whitespaces) == shown)
            #expect(end == shown.count, "\(shown)")
            #expect(buffer.cells.allSatisfy { $0.symbol.unicodeScalars.allSatisfy(\.isASCII) && !$0.isContinuation })
        }
    }

    /// Every cell a frame can hold is one that glibc's `wcwidth` (what curses and tmux count with) measures as we do.
    @Test func cellWidthsAgreeWithTheCLibrarysWcwidth() throws {
        // Swift's Glibc module does not import wcwidth (it wants _XOPEN_SOURCE): take it from libc itself.
        let symbol = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth"), "no wcwidth in libc")
        let wcwidth = unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else {
            Issue.record("no C.UTF-8 locale to compare with")
            return
        }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        for (text, _, _) in Self.unicodeCases {
            var buffer = Buffer(width: 40, height: 1)
            buffer.write(text, x: 0, y: 0)
            for cell in buffer.cells where !cell.isContinuation {
                let scalars = Array(cell.symbol.unicodeScalars)
                let base = Int(wcwidth(wchar_t(bitPattern: scalars[0].value)))
                #expect(base == cell.width, "\(text): U+\(String(scalars[0].value, radix: 16)) wcwidth \(base), buffer \(cell.width)")
                for mark in scalars.dropFirst() {
                    #expect(wcwidth(wchar_t(bitPattern: mark.value)) == 0, "\(text): U+\(String(mark.value, radix: 16)) is not zero-width")
                }
            }
        }
    }

    /// A frame with a hostile name, then one without: the diff leaves nothing of the first.
    @Test func aFrameAfterJoinedEmojiAndBidiLeavesNoLeftovers() {
        let hostile = ["👨‍👩‍👧‍👦 fam", "🇩🇪🇫🇷 flags", "👍🏽❤️ tones", "\u{202E}gnp.exe", "日本語名前", "e\u{301}\u{301}\u{301}\u{301}"]
        for asciiOnly in [false, true] {
            for name in hostile {
                var first = Buffer(width: 20, height: 2, asciiOnly: asciiOnly)
                first.write("| " + name + " |", x: 0, y: 0)
                first.write(name, x: 3, y: 1)
                var second = Buffer(width: 20, height: 2, asciiOnly: asciiOnly)
                second.write("| plain |", x: 0, y: 0)
                second.write("b", x: 5, y: 1)
                // Replaying the diff onto the first frame's cells gives exactly the second frame.
                var screen = first
                for run in BufferDiff(from: first, to: second).runs {
                    var x = run.x
                    for cell in run.cells {
                        screen[x, run.y] = cell
                        if cell.width == 2 { screen[x + 1, run.y] = second[x + 1, run.y] }
                        x += max(1, cell.width)
                    }
                }
                #expect(screen == second, "\(name) ascii=\(asciiOnly)")
                #expect(TextRenderer.render(screen) == "| plain |\n     b\n")
            }
        }
    }

    /// Overwriting half of a wide cell (or a flag's letter) never leaves the other half behind.
    @Test func overwritingHalfAWideCellBlanksTheOtherHalf() {
        var buffer = Buffer(width: 6, height: 1)
        buffer.write("👨‍👩‍👧日", x: 0, y: 0)
        #expect(buffer.rowText(0) == "👨日  ")
        buffer.write("x", x: 1, y: 0)
        buffer.write("y", x: 2, y: 0)
        #expect(buffer.rowText(0) == " xy   ")
        #expect(buffer.cells.allSatisfy { !$0.isContinuation })
    }
}
