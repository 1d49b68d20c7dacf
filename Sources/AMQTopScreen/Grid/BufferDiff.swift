/// The cells that differ between two frames, grouped into runs the terminal can write in one go.
///
/// A run is a horizontal stretch of changed cells on one row with one style, so the
/// terminal moves the cursor once and writes the text. A size change means everything
/// changed: the diff then holds the whole new frame and `isFullRepaint` is set.
public struct BufferDiff: Equatable, Sendable {
    /// Consecutive changed cells on one row, all in one style.
    public struct Run: Equatable, Sendable {
        public var x: Int
        public var y: Int
        /// The cells to write, continuations left out (a wide cell covers two columns).
        public var cells: [Cell]
        public var style: CellStyle

        /// The run's characters joined.
        public var text: String { cells.map(\.symbol).joined() }
    }

    public private(set) var runs: [Run]
    /// True when the sizes differ: the terminal should clear before writing.
    public private(set) var isFullRepaint: Bool

    /// The runs that turn `previous` into `next`.
    public init(from previous: Buffer?, to next: Buffer) {
        var runs: [Run] = []
        let full = previous.map { $0.width != next.width || $0.height != next.height } ?? true
        self.isFullRepaint = full
        for y in 0..<next.height {
            var current: Run?
            var x = 0
            while x < next.width {
                let cell = next[x, y]
                let changed = full || Self.changed(previous, next, x, y)
                if changed && !cell.isContinuation {
                    if var run = current, run.style == cell.style, Self.endColumn(of: run) == x {
                        run.cells.append(cell)
                        current = run
                    } else {
                        if let run = current { runs.append(run) }
                        current = Run(x: x, y: y, cells: [cell], style: cell.style)
                    }
                    x += max(1, cell.width)
                    continue
                }
                if !changed, let run = current {
                    runs.append(run)
                    current = nil
                }
                x += 1
            }
            if let run = current { runs.append(run) }
        }
        self.runs = runs
    }

    /// Whether a cell, or the wide grapheme it is half of, changed.
    private static func changed(_ previous: Buffer?, _ next: Buffer, _ x: Int, _ y: Int) -> Bool {
        guard let previous else { return true }
        if previous[x, y] != next[x, y] { return true }
        // A wide grapheme must be rewritten whole when its right half changed.
        let cell = next[x, y]
        if cell.width == 2 && previous[x + 1, y] != next[x + 1, y] { return true }
        return false
    }

    private static func endColumn(of run: Run) -> Int {
        run.x + run.cells.reduce(0) { $0 + max(1, $1.width) }
    }

    /// True when nothing changed.
    public var isEmpty: Bool { runs.isEmpty && !isFullRepaint }

    /// How many cells the runs write.
    public var cellCount: Int { runs.reduce(0) { $0 + $1.cells.count } }
}
