/// Something that draws itself into a rectangle of a buffer and nowhere else.
public protocol Widget {
    /// Draws into `area` (already clipped by the buffer's own bounds).
    func render(into buffer: inout Buffer, area: Rect)
}
