/// A colour as a theme names it: the terminal's default, a palette index, or an RGB value.
public enum ThemeColor: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 xterm colours (0-7 basic, 8-15 bright, 16-255 cube and greys).
    case indexed(Int)
    /// A true colour, matched to the nearest colour the terminal has.
    case rgb(UInt8, UInt8, UInt8)

    /// The curses names of the 16 basic colours, as themes write them.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "grey": 8, "gray": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses `default`, a curses name, `0`-`255` or `#rrggbb`; nil otherwise.
    public init?(parsing text: String) {
        let value = text.lowercased()
        if value == "default" || value == "none" || value == "-1" {
            self = .terminalDefault
        } else if let index = ThemeColor.names[value] {
            self = .indexed(index)
        } else if let number = Int(value) {
            guard (0...255).contains(number) else { return nil }
            self = .indexed(number)
        } else if value.hasPrefix("#"), value.count == 7, let rgb = UInt32(value.dropFirst(), radix: 16) {
            self = .rgb(UInt8((rgb >> 16) & 0xFF), UInt8((rgb >> 8) & 0xFF), UInt8(rgb & 0xFF))
        } else {
            return nil
        }
    }

    /// The curses colour number for a terminal with `colors` colours; -1 means the default.
    ///
    /// 256-colour terminals get the nearest cube or grey entry; 8- and 16-colour terminals
    /// the nearest basic colour.
    public func cursesIndex(colors: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            if index < colors { return index }
            return ThemeColor.nearestBasic(ThemeColor.rgbOf(index: index), count: min(colors, 16))
        case .rgb(let r, let g, let b):
            if colors >= 256 { return ThemeColor.nearest256(r, g, b) }
            return ThemeColor.nearestBasic((Int(r), Int(g), Int(b)), count: min(colors, 16))
        }
    }

    /// The xterm RGB of a palette index.
    static func rgbOf(index: Int) -> (Int, Int, Int) {
        switch index {
        case 0..<16:
            return basic[index]
        case 16..<232:
            let n = index - 16
            return (cubeLevels[n / 36], cubeLevels[(n / 6) % 6], cubeLevels[n % 6])
        default:
            let level = 8 + 10 * (index - 232)
            return (level, level, level)
        }
    }

    static let cubeLevels = [0, 95, 135, 175, 215, 255]
    static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The nearest of the first `count` basic colours (at least 8 are assumed; 0 gives default).
    static func nearestBasic(_ rgb: (Int, Int, Int), count: Int) -> Int {
        guard count >= 8 else { return -1 }
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let distance = squaredDistance(rgb, basic[index])
            if distance < bestDistance { (best, bestDistance) = (index, distance) }
        }
        return best
    }

    /// The nearest entry of the 6x6x6 cube or the grey ramp.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let target = (Int(r), Int(g), Int(b))
        func level(_ v: Int) -> Int { v < 48 ? 0 : (v < 115 ? 1 : (v - 35) / 40) }
        let cube = 16 + 36 * level(target.0) + 6 * level(target.1) + level(target.2)
        let average = (target.0 + target.1 + target.2) / 3
        let grey = average > 238 ? 255 : 232 + max(0, (average - 3) / 10)
        return squaredDistance(target, rgbOf(index: cube)) <= squaredDistance(target, rgbOf(index: grey)) ? cube : grey
    }

    static func squaredDistance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }
}
