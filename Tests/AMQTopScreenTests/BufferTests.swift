import Testing
import AMQTopCore
@testable import AMQTopScreen

@Suite struct BufferTests {
    @Test func zeroAndOneCellBuffersAcceptWrites() {
        var empty = Buffer(width: 0, height: 0)
        empty.write("hello", x: 0, y: 0)
        empty.fill(Rect(width: 5, height: 5), with: Cell("x"))
        #expect(TextRenderer.render(empty) == "")
        var one = Buffer(width: 1, height: 1)
        one.write("hello", x: 0, y: 0)
        #expect(TextRenderer.render(one) == "h\n")
        Panel(title: "t").render(into: &one, area: one.area)
        Table(columns: [TableColumn("A", minWidth: 3)], rows: [[Span("x")]], selected: 0).render(into: &one, area: one.area)
    }

    @Test func writesClipAtEdgesAndNegativeOrigins() {
        var buffer = Buffer(width: 5, height: 2)
        buffer.write("abcdefgh", x: -2, y: 0)
        buffer.write("xyz", x: 3, y: 1)
        buffer.write("never", x: 0, y: 5)
        #expect(TextRenderer.render(buffer) == "cdefg\n   xy\n")
    }

    @Test func wideGraphemesTakeTwoCellsAndNeverHalfFit() {
        var buffer = Buffer(width: 5, height: 1)
        buffer.write("日本語", x: 0, y: 0)
        #expect(buffer[0, 0].symbol == "日" && buffer[1, 0].isContinuation)
        #expect(TextRenderer.render(buffer) == "日本\n")
        buffer.write("x", x: 1, y: 0)
        #expect(buffer.rowText(0) == " x本 ")
    }

    @Test func truncationUsesTheEllipsisGlyph() {
        #expect(Truncate.fit("abcdef", width: 4) == "abc…")
        #expect(Truncate.fit("abcdef", width: 4, ellipsis: "~") == "abc~")
        #expect(Truncate.fit("abc", width: 4) == "abc")
        #expect(Truncate.fit("abc", width: 0) == "")
    }

    @Test func wordWrapKeepsEveryLineInsideTheWidth() {
        let lines = WordWrap.lines("the quick brown fox jumps over a supercalifragilistic dog", width: 10, indent: "  ")
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 10 })
        #expect(lines.first == "the quick")
        #expect(WordWrap.lines("", width: 5).isEmpty)
    }

    @Test func tableDropsLowPriorityColumnsWhenNarrow() {
        let table = Table(columns: [TableColumn("NAME", minWidth: 6), TableColumn("EXTRA", minWidth: 10, priority: 9), TableColumn("ROLE", minWidth: 6)], rows: [])
        #expect(table.layout(width: 20) == [6, 0, 6])
        #expect(table.layout(width: 40)[1] == 10)
    }
}

@Suite struct BufferDiffTests {
    @Test func identicalFramesGiveNoRuns() {
        var frame = Buffer(width: 10, height: 3)
        frame.write("hello", x: 0, y: 1)
        #expect(BufferDiff(from: frame, to: frame).isEmpty)
    }

    @Test func firstFrameOrResizeIsAFullRepaint() {
        let frame = Buffer(width: 4, height: 2)
        let diff = BufferDiff(from: nil, to: frame)
        #expect(diff.isFullRepaint && diff.cellCount == 8)
        #expect(BufferDiff(from: Buffer(width: 3, height: 2), to: frame).isFullRepaint)
    }

    @Test func onlyChangedCellsAreSentInRuns() {
        var before = Buffer(width: 20, height: 2)
        before.write("lock age 3m12s", x: 0, y: 0)
        var after = before
        after.write("lock age 3m13s", x: 0, y: 0)
        let diff = BufferDiff(from: before, to: after)
        #expect(diff.runs == [BufferDiff.Run(x: 12, y: 0, cells: [Cell("3")], style: .normal)])
    }

    @Test func styleChangesSplitRuns() {
        let before = Buffer(width: 6, height: 1)
        var after = before
        after.write("ab", x: 0, y: 0, style: CellStyle(.master))
        after.write("cd", x: 2, y: 0, style: CellStyle(.slave))
        let diff = BufferDiff(from: before, to: after)
        #expect(diff.runs.map(\.text) == ["ab", "cd"])
    }

    @Test func wideGraphemeIsRewrittenWhole() {
        var before = Buffer(width: 4, height: 1)
        before.write("ab", x: 0, y: 0)
        var after = before
        after.write("日", x: 0, y: 0)
        let diff = BufferDiff(from: before, to: after)
        #expect(diff.runs.map(\.text) == ["日"])
        #expect(diff.runs.first?.x == 0)
    }

    @Test func tickingClockCostsFewCells() {
        var state = Fixtures.state(ScreenSnapshotTests.all3, observations: ScreenSnapshotTests.all3Observed)
        state.view = .group("prod-east")
        let first = DashboardRenderer.render(state, context: ViewContext())
        _ = Reducer.reduce(&state, .tick(nowMillis: Fixtures.now + 1000))
        let second = DashboardRenderer.render(state, context: ViewContext())
        let diff = BufferDiff(from: first, to: second)
        #expect(!diff.isEmpty)
        #expect(diff.cellCount <= 12, "a one-second tick should only change the lock-age digits, changed \(diff.cellCount)")
    }
}
