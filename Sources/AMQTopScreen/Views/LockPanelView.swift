import AMQTopCore

/// The lock panel: the lock file, who holds it since when, the mtime check and the filesystem.
public struct LockPanelView: Widget {
    public var state: AppState
    public var context: ViewContext
    public var group: GroupConfig
    public var focused: Bool

    public init(state: AppState, context: ViewContext, group: GroupConfig, focused: Bool) {
        self.state = state
        self.context = context
        self.group = group
        self.focused = focused
    }

    /// Label and value lines, most important first (the panel cuts from the bottom).
    public var lines: [(String, [Span])] {
        let none = context.glyphs.none
        guard let path = group.lockFile else {
            return [("path", [Span("not configured (lockFile:)", CellStyle(.dim))])]
        }
        var out: [(String, [Span])] = [("path", [Span(path)])]
        guard let lock = state.observations[group.name]?.lock else {
            out.append(("state", [Span("not read yet", CellStyle(.dim))]))
            return out
        }
        var stateSpans = [Span(lock.state.summary, CellStyle(lock.state == .ok ? .ok : .critical, lock.state == .ok ? [] : [.bold]))]
        if lock.state == .ok, let size = lock.size { stateSpans.append(Span(", \(size) bytes")) }
        switch lock.mtimeMatchesTimestamp {
        case true?: stateSpans.append(Span(", mtime matches", CellStyle(.ok)))
        case false?: stateSpans.append(Span(", MTIME CHANGED (touched?)", CellStyle(.critical, [.bold])))
        case nil: break
        }
        out.append(("state", stateSpans))
        out.append(("holder", [Describe.holder(lock, broker: state.assessments[group.name]?.lockHolderBroker)]))
        if let acquired = lock.acquiredAtMillis {
            let when = ClockFormat.dateTime(acquired, utcOffsetSeconds: context.utcOffsetSeconds)
            let age = Describe.lockAge(lock, nowMillis: state.nowMillis) ?? none
            out.append(("acquired", [Span(when), Span(" (\(age) ago)", CellStyle(.normal, [.bold]))]))
        } else if let raw = lock.implausibleTimestampMillis {
            // Shown as the value it is, never as a lock age from no time (issue 14).
            let why = LockFileSnapshot.timestampProblem(raw, atMillis: lock.atMillis) ?? "no time"
            out.append(("acquired", [Span("IMPLAUSIBLE \(raw) (\(why))", CellStyle(.warning, [.bold]))]))
        } else {
            out.append(("acquired", [Span(none, CellStyle(.dim))]))
        }
        if let fs = lock.filesystem {
            var text = fs.type
            if let version = fs.nfsVersion { text += " vers=\(version)" }
            if let mount = fs.mountPoint { text += " on \(mount)" }
            let hazards = Describe.hazards(fs, keepAlive: group.lockKeepAlivePeriodMillis)
            out.append(("fs", [Span(text), Span(hazards.isEmpty ? ", no known hazard" : "", CellStyle(.ok))]))
            for hazard in hazards { out.append(("hazard", [Span(hazard, CellStyle(.warning))])) }
        } else {
            out.append(("fs", [Span(none, CellStyle(.dim))]))
        }
        return out
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        Panel(title: "Lock", glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        LabelledLines(lines: lines, glyphs: context.glyphs).render(into: &buffer, area: Panel.content(area))
    }
}
