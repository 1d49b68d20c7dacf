/// Who held a group's lock over a window of time, from the history plus what is live.
///
/// Pure: built from the recorded tenures, failovers and split-brain episodes, and the
/// masters the probes see now. It holds the stretches (who was master from when to when,
/// the gaps without master, the split brains) and the failover marks, and cuts them into
/// as many columns as a screen or a text strip has (`columns(count:)`).
public struct TenureTimeline: Equatable, Sendable {
    /// What a stretch of time was.
    public enum Kind: Equatable, Hashable, Sendable {
        /// This broker held the lock (index into `brokers`).
        case master(Int)
        /// No broker served as master (between an old master gone and a new one serving).
        case noMaster
        /// These brokers served as master at once.
        case splitBrain([String])
    }

    /// A span of time of one kind, clipped to the window.
    public struct Stretch: Equatable, Sendable {
        public var startMillis: Int64
        public var endMillis: Int64
        public var kind: Kind
        /// True for what the probes see now rather than what the history recorded: its start
        /// is only "since the last poll", so it is drawn but never counted as a measured gap.
        public var isLive = false
        /// The stretch's length.
        public var millis: Int64 { endMillis - startMillis }
    }

    /// A change of master inside the window.
    public struct Mark: Equatable, Sendable {
        public var atMillis: Int64
        public var cause: FailoverCause
        public var from: String?
        public var to: String?
        /// How long the group had no serving master; nil while the takeover is in progress.
        public var noMasterMillis: Int64?
    }

    /// What the probes see now: the masters, and since when (the lock's acquisition for one master).
    public struct Live: Equatable, Sendable {
        public var masters: [String]
        public var sinceMillis: Int64

        public init(masters: [String], sinceMillis: Int64) {
            self.masters = masters
            self.sinceMillis = sinceMillis
        }
    }

    public var group: String
    public var window: TimelineWindow
    public var nowMillis: Int64
    /// Every broker that can appear, configured ones first: its index is its letter.
    public var brokers: [String]
    /// Tenures, gaps and split brains inside the window, in time order (they may overlap:
    /// a gap lies inside the tenure whose new master had not served yet).
    public var stretches: [Stretch]
    /// Failovers inside the window, oldest first.
    public var marks: [Mark]

    /// The window's first instant.
    public var startMillis: Int64 { nowMillis - window.millis }

    /// The name a tenure without a known master is listed under.
    public static let unknownHolder = "unknown holder"

    /// Builds the timeline of `group` for `window` ending at `nowMillis`.
    ///
    /// - Parameters:
    ///   - configured: the group's brokers in configuration order (they get A, B, C...).
    ///   - live: what the probes see now, nil when nothing was polled yet.
    public static func build(
        group: String, window: TimelineWindow, nowMillis: Int64, configured: [String], history: TimelineHistory, live: Live?
    ) -> TenureTimeline {
        let start = nowMillis - window.millis
        var brokers = configured
        func index(_ name: String) -> Int {
            if let found = brokers.firstIndex(of: name) { return found }
            brokers.append(name)
            return brokers.count - 1
        }
        var stretches: [Stretch] = []
        func add(_ from: Int64, _ to: Int64, _ kind: Kind, live: Bool = false) {
            let a = max(from, start)
            let b = min(to, nowMillis)
            // What is live right now may have no length yet; it still shows in the last column.
            if b > a || (a == nowMillis && b == nowMillis) {
                stretches.append(Stretch(startMillis: a, endMillis: b, kind: kind, isLive: live))
            }
        }
        let tenures = history.tenures.sorted { $0.startedAtMillis < $1.startedAtMillis }
        for (position, tenure) in tenures.enumerated() {
            // An open tenure ends where the next one starts; the newest one lasts until now.
            let next = position + 1 < tenures.count ? tenures[position + 1].startedAtMillis : nowMillis
            let end = tenure.endedAtMillis ?? next
            add(tenure.startedAtMillis, end, .master(index(tenure.master ?? unknownHolder)))
        }
        var marks: [Mark] = []
        for event in history.failovers.sorted(by: { $0.atMillis < $1.atMillis }) {
            if let from = event.fromBroker { _ = index(from) }
            if let to = event.toBroker { _ = index(to) }
            if let outage = event.outageStartMillis {
                let end = event.newMasterServing?.atMillis ?? nowMillis
                if end > outage { add(outage, end, .noMaster) }
            }
            guard event.atMillis >= start, event.atMillis <= nowMillis else { continue }
            marks.append(Mark(atMillis: event.atMillis, cause: event.cause, from: event.fromBroker, to: event.toBroker, noMasterMillis: event.timeWithoutMasterMillis))
        }
        for episode in history.splitBrains {
            add(episode.startedAtMillis, episode.endedAtMillis ?? nowMillis, .splitBrain(episode.brokers))
        }
        if let live {
            let since = min(live.sinceMillis, nowMillis)
            switch live.masters.count {
            case 0: add(since, nowMillis, .noMaster, live: true)
            case 1: add(since, nowMillis, .master(index(live.masters[0])), live: true)
            default: add(since, nowMillis, .splitBrain(live.masters), live: true)
            }
        }
        stretches.sort { ($0.startMillis, $0.endMillis) < ($1.startMillis, $1.endMillis) }
        return TenureTimeline(group: group, window: window, nowMillis: nowMillis, brokers: brokers, stretches: stretches, marks: marks)
    }

    // MARK: - Columns

    /// The window cut into `count` equal slices, each shown as its most telling state.
    public func columns(count: Int) -> [TimelineColumn] {
        guard count > 0 else { return [] }
        return (0..<count).map { column in
            let (a, b) = slice(column, of: count)
            let last = column == count - 1
            func overlaps(_ stretch: Stretch) -> Bool {
                // A stretch of no length (what is live at this very instant) belongs to the slice it falls in.
                if stretch.millis == 0 { return stretch.startMillis >= a && (stretch.startMillis < b || last) }
                return stretch.startMillis < b && stretch.endMillis > a
            }
            let here = stretches.filter(overlaps)
            if here.contains(where: { if case .splitBrain = $0.kind { true } else { false } }) { return .splitBrain }
            let causes = marks.filter { $0.atMillis >= a && ($0.atMillis < b || (last && $0.atMillis <= b)) }.map(\.cause)
            if let worst = Self.worst(causes) { return .failover(worst) }
            if here.contains(where: { $0.kind == .noMaster }) { return .noMaster }
            var held: [Int: Int64] = [:]
            for stretch in here {
                if case .master(let broker) = stretch.kind {
                    held[broker, default: 0] += max(1, min(stretch.endMillis, b) - max(stretch.startMillis, a))
                }
            }
            if let best = held.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) { return .master(best.key) }
            return .notWatched
        }
    }

    /// The instants `[start, end)` of a column.
    public func slice(_ column: Int, of count: Int) -> (Int64, Int64) {
        let span = window.millis
        let a = startMillis + span * Int64(column) / Int64(count)
        let b = startMillis + span * Int64(column + 1) / Int64(count)
        return (a, b)
    }

    /// The cause that matters most when a slice holds several failovers: crash, unknown, stop.
    static func worst(_ causes: [FailoverCause]) -> FailoverCause? {
        if causes.contains(.crash) { return .crash }
        if causes.contains(.unknown) { return .unknown }
        return causes.isEmpty ? nil : .stop
    }

    // MARK: - Figures

    /// Capital letters for the brokers in order (`A` for the first configured one).
    public var letters: [String] {
        brokers.indices.map { index in
            let scalars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            return index < scalars.count ? String(scalars[index]) : "*"
        }
    }

    /// The recorded gaps without master inside the window, merged where they overlap, oldest first.
    public var gaps: [Stretch] {
        Self.merge(stretches.filter { $0.kind == .noMaster && !$0.isLive }).map { Stretch(startMillis: $0.0, endMillis: $0.1, kind: .noMaster) }
    }

    /// The recorded split brains inside the window, oldest first.
    public var splitBrains: [Stretch] {
        stretches.filter { if case .splitBrain = $0.kind { !$0.isLive } else { false } }
    }

    /// What the probes see now, when it is no single master: "no master now", "split brain now".
    public var liveTrouble: String? {
        guard let live = stretches.last(where: \.isLive) else { return nil }
        switch live.kind {
        case .noMaster: return "no master now"
        case .splitBrain(let brokers): return "split brain now (\(brokers.joined(separator: " + ")))"
        case .master: return nil
        }
    }

    /// How long each broker held the lock inside the window (index into `brokers`).
    public var heldMillis: [Int: Int64] {
        var held: [Int: [(Int64, Int64)]] = [:]
        for stretch in stretches {
            if case .master(let broker) = stretch.kind { held[broker, default: []].append((stretch.startMillis, stretch.endMillis)) }
        }
        return held.mapValues { Self.merge(intervals: $0).reduce(0) { $0 + $1.1 - $1.0 } }
    }

    /// The time inside the window that no record covers.
    public var notWatchedMillis: Int64 {
        let covered = Self.merge(intervals: stretches.map { ($0.startMillis, $0.endMillis) }).reduce(0) { $0 + $1.1 - $1.0 }
        return max(0, window.millis - covered)
    }

    private static func merge(_ stretches: [Stretch]) -> [(Int64, Int64)] {
        merge(intervals: stretches.map { ($0.startMillis, $0.endMillis) })
    }

    private static func merge(intervals: [(Int64, Int64)]) -> [(Int64, Int64)] {
        var out: [(Int64, Int64)] = []
        for interval in intervals.sorted(by: { $0 < $1 }) {
            if let last = out.last, interval.0 <= last.1 {
                out[out.count - 1].1 = max(last.1, interval.1)
            } else {
                out.append(interval)
            }
        }
        return out
    }
}
