/// A rectangle of cells: origin at the top left, sizes never negative.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// A rectangle at the origin.
    public init(width: Int, height: Int) { self.init(x: 0, y: 0, width: width, height: height) }

    public static let zero = Rect(width: 0, height: 0)

    public var isEmpty: Bool { width == 0 || height == 0 }
    public var right: Int { x + width }
    public var bottom: Int { y + height }
    public var area: Int { width * height }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// The overlap of two rectangles (empty when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let r = min(right, other.right)
        let b = min(bottom, other.bottom)
        guard r > left, b > top else { return Rect(x: left, y: top, width: 0, height: 0) }
        return Rect(x: left, y: top, width: r - left, height: b - top)
    }

    /// Whether a cell position lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < right && py >= y && py < bottom }

    /// This rectangle shrunk by a margin on every side.
    public func inset(by margin: Int) -> Rect {
        Rect(x: x + margin, y: y + margin, width: width - 2 * margin, height: height - 2 * margin)
    }

    /// The top `rows` rows (or fewer) and the rest below them.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let taken = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: taken), Rect(x: x, y: y + taken, width: width, height: height - taken))
    }

    /// The bottom `rows` rows (or fewer) and the rest above them.
    public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
        let taken = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: height - taken), Rect(x: x, y: bottom - taken, width: width, height: taken))
    }

    /// The left `columns` columns (or fewer) and the rest to their right.
    public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
        let taken = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: taken, height: height), Rect(x: x + taken, y: y, width: width - taken, height: height))
    }

    /// The single row at `offset` from the top (empty if outside).
    public func row(_ offset: Int) -> Rect {
        guard offset >= 0, offset < height else { return Rect(x: x, y: y + offset, width: width, height: 0) }
        return Rect(x: x, y: y + offset, width: width, height: 1)
    }

    /// A rectangle of the given size centred inside this one (clipped to it).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width)
        let ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}
