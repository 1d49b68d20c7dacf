import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Broker and group names with joined emoji, flags, skin tones, VS16 and bidi controls,
/// through the real `amqtop` in tmux, in a UTF-8 and in the C locale: every boxed line is
/// exactly the terminal's width as the C library measures what tmux shows (so the cells
/// amqtop counted are the columns the terminal drew), and frames drawn by diffs after
/// moving around equal a full repaint (no leftovers of earlier frames).
@Suite(.serialized, .disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
struct HostileNamesTmuxTests {
    static let width = 100
    static let brokerNames = [
        "👨‍👩‍👧‍👦fam", "🇩🇪🇫🇷flag", "\u{202E}evil.exe", "👍🏽❤️tone", "日本語名", "x\u{2067}iso\u{2069}\u{200F}", "e\u{301}\u{302}\u{303}\u{304}z",
    ]
    /// What each name must look like on screen: (UTF-8, C locale).
    static let shownNames = [
        ("👨fam", "?fam"), ("DEFRflag", "??flag"), ("?evil.exe", "?evil.exe"), ("👍❤tone", "??tone"), ("日本語名", "????"),
        ("x?iso??", "x?iso??"), ("e\u{301}\u{302}\u{303}z", "?z"),
    ]

    @Test(arguments: [false, true])
    func hostileNamesKeepTheLayoutInBothLocales(ascii: Bool) async throws {
        let scratch = NSTemporaryDirectory() + "amqtop-hostile-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let brokers = try Self.brokerNames.map { name in
            // Ports nothing listens on: refused at once.
            let port = try LoopbackPorts.shared.next()
            return AMQTopConfigFile.Broker(name: name, jolokia: "http://127.0.0.1:\(port)/api/jolokia", openwire: "tcp://127.0.0.1:\(port)", pidFile: nil)
        }
        let config = AMQTopConfigFile(
            poll: .milliseconds(500), lockPoll: .milliseconds(250), timeout: .seconds(1),
            groups: [
                AMQTopConfigFile.Group(
                    name: "🇫🇷\u{202E}grp👩‍🚀", lockFile: "\(scratch)/lock", lockKeepAlivePeriod: .seconds(2),
                    lockAcquireSleepInterval: .seconds(1), brokers: brokers),
                AMQTopConfigFile.Group(
                    name: "plain", lockFile: "\(scratch)/lock2", lockKeepAlivePeriod: .seconds(2),
                    lockAcquireSleepInterval: .seconds(1), brokers: [brokers[0]]),
            ])
        let path = "\(scratch)/amqtop.yaml"
        try config.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ascii ? ["LANG": "C", "LC_ALL": "C"] : ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        let groupShown = ascii ? "??grp?" : "FR?grp👩"
        let names = Self.shownNames.map { ascii ? $0.1 : $0.0 }

        try await TmuxSession.withSession([try AMQTopExecutable.path(), "--config", path], environment: environment, width: Self.width, height: 40) { tmux in
            let overview = try await tmux.waitForScreen("the overview with the hostile group", deadline: .now + .seconds(15)) {
                $0.contains(groupShown) && $0.contains("plain")
            }
            try Self.expectBoxedLinesFill(overview, "overview")
            try tmux.sendKeys("Enter")
            let group = try await tmux.waitForScreen("the group view with every broker", deadline: .now + .seconds(15)) { screen in
                names.allSatisfy { screen.contains($0) }
            }
            try Self.expectBoxedLinesFill(group, "group view")
            #expect(!group.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) || $0.value == 0x200F || $0.value == 0x200D })

            // Move around so frames are drawn as diffs over the hostile ones, then compare with a full repaint.
            for keys in [["Down"], ["Down"], ["Tab"], ["Escape"], ["Down"], ["Enter"], ["Down", "Down", "Down"], ["Escape"], ["Up"], ["Enter"]] {
                for key in keys { try tmux.sendKeys(key) }
                try await Task.sleep(for: .milliseconds(150))
            }
            let diffed = try tmux.capture()
            try Self.expectBoxedLinesFill(diffed, "after moving")
            try tmux.sendKeys("C-l")
            _ = try await tmux.waitForScreen("a full repaint equal to the diffed frames (digits aside)", deadline: .now + .seconds(10)) {
                Self.masked($0) == Self.masked(diffed)
            }
            try await DashboardTmuxTests.quitCleanly(tmux)
        }
    }

    /// Digits masked: clocks and ages move between two captures, the layout must not.
    static func masked(_ screen: String) -> String {
        String(screen.map { $0.isNumber && $0.isASCII ? "#" : $0 })
    }

    /// Every line drawn in a box (starting with a box-drawing or ASCII border) is exactly the terminal's width.
    static func expectBoxedLinesFill(_ screen: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let boxed = lines.filter { line in
            guard let first = line.first, let last = line.last else { return false }
            return "│┌└|+".contains(first) && "│┐┘|+".contains(last)
        }
        #expect(boxed.count >= 3, "\(what): no boxed lines:\n\(screen)", sourceLocation: sourceLocation)
        for line in boxed {
            let columns = try Self.columns(line)
            #expect(columns == width, "\(what): a boxed line is \(columns) columns, not \(width):\n\(line)\n\(screen)", sourceLocation: sourceLocation)
        }
    }

    /// The columns `text` takes by glibc's `wcwidth` under C.UTF-8 (what tmux and curses count with).
    static func columns(_ text: String) throws -> Int {
        // Swift's Glibc module does not import wcwidth (it wants _XOPEN_SOURCE): take it from libc itself.
        let symbol = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth"))
        let wcwidth = unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
        let utf8 = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil))
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return text.unicodeScalars.reduce(0) { $0 + max(0, Int(wcwidth(wchar_t(bitPattern: $1.value)))) }
    }
}
