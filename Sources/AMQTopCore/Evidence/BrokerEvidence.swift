/// One broker's signals read once, with the one set of rules that roles, alerts, the
/// failover history, the drill timeline and the screen's evidence text all use.
///
/// The signals: the endpoint's answer and its `Slave`, the endpoint error's kind, the
/// OpenWire port, the lock holder (pid and host) and the process. The rules:
/// - **Serves clients**: its own `Slave=false` or an open OpenWire port, seen no earlier
///   than the lock's latest acquisition (older claims predate a change of hands), and not
///   contradicted by a *later* signal (`Slave=true`, a refused endpoint or port, a dead
///   process): the latest word wins; on a tie the serving signal stands. A broker probed
///   by neither endpoint nor port has one master signal only: holding the lock.
/// - **Claims master** (role `master`): it serves, or it holds the lock and has not
///   answered `Slave=true` (a new master sleeps one keep-alive period before it serves).
///   Holding the lock means the same pid on the same host as the lock table's holder.
/// - **Waits as slave** (role `slave`): it answered `Slave=true`, or its process is alive
///   while it neither holds the lock nor serves (a stock slave serves no endpoint at all).
/// - **Is gone** (role `down`): its process is dead or its pid file was removed. A refused
///   endpoint alone is not gone (stock slaves refuse theirs), and an unreachable host
///   tells nothing about the process: such a broker is `unknown`, never `down`.
/// - **Stopped serving** (`notServing`): the earliest signal after its latest serving one
///   that says it does not serve. For a broker known to be the master this is the moment
///   it was seen gone: a master that answered `Slave=false` and now refuses its endpoint
///   or port is gone (`notServingMeansDown`), one that answers `Slave=true` gave up its
///   lock and stayed as a slave.
public struct BrokerEvidence: Equatable, Sendable {
    public let name: String
    /// Every signal in a few words, strongest first: the broker's verdict evidence.
    public let phrases: [String]
    /// The latest serving signal seen since the lock's latest acquisition.
    public let lastServing: EvidenceSignal?
    /// The latest serving signal seen before the lock's latest acquisition.
    public let staleServing: EvidenceSignal?
    /// The earliest signal later than `lastServing` (or any, without one) that it does not serve.
    public let notServing: EvidenceSignal?
    /// True when a signal counted in `notServing`'s set says it stopped listening or died,
    /// not that it answered as a slave.
    public let notServingMeansDown: Bool
    /// Its `Slave=true` answer.
    public let slaveAnswer: EvidenceSignal?
    /// The lock read that lists its process as the holder.
    public let holdsLock: EvidenceSignal?
    public let processAlive: EvidenceSignal?
    /// Its process dead, or its pid file removed.
    public let processGone: EvidenceSignal?
    /// Its host could not be asked.
    public let hostUnreachable: EvidenceSignal?
    /// The role the rules give.
    public let role: Role
    /// Why nothing confirms the role, when it is `unknown`: "no pid file configured, endpoint silent".
    public let unconfirmedReason: String?

    /// Reads one broker's latest observation.
    ///
    /// - Parameter staleBeforeMillis: the lock's latest acquisition: serving signals seen
    ///   before it are not trusted, the lock changed hands after them.
    public init(name: String, observation: BrokerObservation?, lock: LockFileSnapshot?, staleBeforeMillis: Int64?) {
        var phrases: [String] = []
        var readings: [(word: SignalWord, signal: EvidenceSignal)] = []
        var silence: [String] = []
        func add(_ word: SignalWord, _ at: Int64, _ source: FailoverSignal, _ phrase: String, listed: Bool = true) {
            if listed { phrases.append(phrase) }
            readings.append((word, EvidenceSignal(atMillis: at, source: source, phrase: phrase)))
        }

        if let jolokia = observation?.jolokia {
            if jolokia.reachable {
                switch jolokia.slave {
                case false?: add(.serves, jolokia.atMillis, .jolokia, "Slave=false")
                case true?: add(.slaveAnswer, jolokia.atMillis, .jolokia, "Slave=true")
                case nil:
                    add(.neutral, jolokia.atMillis, .jolokia, "endpoint answered, Slave unread")
                    silence.append("endpoint answered, Slave unread")
                }
            } else if let error = jolokia.error {
                // A timeout says neither: a busy master answers slowly.
                let word: SignalWord
                switch error {
                case .refused, .connection: word = .silent
                default: word = .neutral
                }
                add(word, jolokia.atMillis, .jolokia, "endpoint \(error.summary)")
                silence.append(error == .refused ? "endpoint silent" : "endpoint \(error.summary)")
            }
        } else {
            silence.append("no endpoint answer")
        }

        if let port = observation?.openwire {
            let word: SignalWord
            switch port.state {
            case .open: word = .serves
            case .refused, .timeout: word = .silent
            case .error: word = .neutral
            }
            add(word, port.atMillis, .openwire, port.state.isOpen ? "OpenWire open" : "OpenWire \(port.state.code)")
        }

        var holdsLock: EvidenceSignal?
        var unreachable: EvidenceSignal?
        if let process = observation?.process {
            let pid = process.pid.map(String.init) ?? "?"
            let on = process.host.map { " on \($0)" } ?? ""
            switch process.state {
            case .alive:
                if let lock, lock.isHeld(byPid: process.pid, onHost: process.host) {
                    let signal = EvidenceSignal(atMillis: lock.atMillis, source: .lockFile, phrase: "holds lock (pid \(pid)\(on))")
                    holdsLock = signal
                    phrases.append(signal.phrase)
                    add(.processAlive, process.atMillis, .pid, "process alive (pid \(pid)\(on))", listed: false)
                    if observation?.jolokia == nil, observation?.openwire == nil {
                        // Probed by pid alone: holding the lock is the only master signal there is.
                        add(.serves, lock.atMillis, .lockFile, signal.phrase, listed: false)
                    }
                } else {
                    add(.processAlive, process.atMillis, .pid, "process alive (pid \(pid)\(on))")
                }
            case .dead: add(.processGone, process.atMillis, .pid, "process \(pid)\(on) not running")
            case .noPidFile: add(.processGone, process.atMillis, .pid, "no pid file" + on)
            case .unreadable(let why):
                add(.neutral, process.atMillis, .pid, "pid file unreadable: \(why)")
                silence.insert("pid file unreadable: \(why)", at: 0)
            case .unreachable(let why):
                let signal = EvidenceSignal(atMillis: process.atMillis, source: .pid, phrase: "host \(process.host ?? "?") unreachable: \(why)")
                unreachable = signal
                add(.neutral, signal.atMillis, .pid, signal.phrase)
            }
        } else {
            silence.insert("no pid file configured", at: 0)
        }

        let cutoff = staleBeforeMillis ?? Int64.min
        let serving = readings.filter { $0.word == .serves }.map(\.signal)
        // The broker's own Slave=false is the better word when two signals tie.
        let lastServing = serving.filter { $0.atMillis >= cutoff }.max { a, b in
            a.atMillis != b.atMillis ? a.atMillis < b.atMillis : Self.servingRank(a.source) < Self.servingRank(b.source)
        }
        let staleServing = serving.filter { $0.atMillis < cutoff }.max { $0.atMillis < $1.atMillis }
        let after = lastServing?.atMillis ?? Int64.min
        let against = readings.filter { $0.word.contradictsServing && $0.signal.atMillis > after }
        // The earliest contrary signal is the first moment it was seen not serving; on a tie
        // a dead process says more than a closed port, which says more than a silent endpoint.
        let notServing = against.map(\.signal).min { a, b in
            a.atMillis != b.atMillis ? a.atMillis < b.atMillis : Self.goneRank(a.source) > Self.goneRank(b.source)
        }
        let processGone = readings.first { $0.word == .processGone }?.signal
        let processAlive = readings.first { $0.word == .processAlive }?.signal
        var slaveAnswer = readings.first { $0.word == .slaveAnswer }?.signal
        if let answer = slaveAnswer, let gone = processGone, gone.atMillis > answer.atMillis {
            // The process died after it answered as a slave: the later word wins.
            slaveAnswer = nil
        }

        let serves = lastServing != nil && notServing == nil
        let role: Role
        var reason: String?
        if serves {
            role = .master
        } else if holdsLock != nil, slaveAnswer == nil {
            // A slave that just took the lock sleeps one keep-alive period before it serves;
            // its own Slave=true answer is the better word until then.
            role = .master
        } else if slaveAnswer != nil || (processAlive != nil && holdsLock == nil) {
            role = .slave
        } else if staleServing != nil {
            phrases.append("master signal predates the lock's last acquisition")
            role = .unknown
            reason = "its master signal predates the lock's last acquisition"
        } else if processGone != nil {
            role = .down
        } else {
            if phrases.isEmpty { phrases.append("no signal configured") }
            role = .unknown
            reason = unreachable?.phrase ?? silence.joined(separator: ", ")
        }

        self.name = name
        self.phrases = phrases
        self.lastServing = lastServing
        self.staleServing = staleServing
        self.notServing = notServing
        self.notServingMeansDown = against.contains { $0.word.meansDown }
        self.slaveAnswer = slaveAnswer
        self.holdsLock = holdsLock
        self.processAlive = processAlive
        self.processGone = processGone
        self.hostUnreachable = unreachable
        self.role = role
        self.unconfirmedReason = reason
    }

    /// True when the broker's latest word is that it serves clients.
    public var serves: Bool { lastServing != nil && notServing == nil }

    /// The signal it serves by, while it serves.
    public var servingSignal: EvidenceSignal? { serves ? lastServing : nil }

    /// True when the rules make it the master (serving, or holding the lock before it serves).
    public var claimsMaster: Bool { role == .master }

    /// The signal that makes it a slave waiting for the lock.
    public var waitsAsSlave: EvidenceSignal? { role == .slave ? slaveAnswer ?? processAlive : nil }

    /// The signal that proves it is not running.
    public var isGone: EvidenceSignal? { role == .down ? processGone : nil }

    private static func servingRank(_ source: FailoverSignal) -> Int {
        switch source {
        case .jolokia: 3
        case .openwire: 2
        case .lockFile: 1
        case .pid, .log: 0
        }
    }

    private static func goneRank(_ source: FailoverSignal) -> Int {
        switch source {
        case .pid: 3
        case .openwire: 2
        case .jolokia: 1
        case .lockFile, .log: 0
        }
    }
}
