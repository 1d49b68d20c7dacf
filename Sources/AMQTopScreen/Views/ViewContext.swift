/// What views need to know about the terminal besides the state: glyphs and local time.
public struct ViewContext: Equatable, Sendable {
    public var glyphs: Glyphs
    /// The local time zone's offset from UTC, so views print wall-clock times without reading the system.
    public var utcOffsetSeconds: Int

    public init(glyphs: Glyphs = .unicode, utcOffsetSeconds: Int = 0) {
        self.glyphs = glyphs
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}
