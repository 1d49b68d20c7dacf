/// Infers each broker's role from its own signals and the lock file.
///
/// The signals, strongest first: the broker's own `Slave` attribute, an open OpenWire
/// port (only the master opens its transport connectors), the lock holder's pid matching
/// the broker's pid file, then the process being alive or dead. A silent endpoint alone
/// never makes a broker `down`: stock ActiveMQ slaves serve no Jolokia at all.
public enum RoleInference {
    /// The role of one broker and the evidence for it.
    ///
    /// - Parameter staleBeforeMillis: master signals observed before this instant (the
    ///   lock's latest acquisition) are not trusted on their own: the lock changed hands
    ///   after they were seen.
    public static func verdict(
        broker: BrokerConfig, observation: BrokerObservation?, lock: LockFileSnapshot?, staleBeforeMillis: Int64? = nil
    ) -> BrokerVerdict {
        var evidence: [String] = []
        var masterSignal = false
        var staleMasterSignal = false
        var slaveSignal = false
        var endpointAnsweredSlave = false

        func isStale(_ at: Int64) -> Bool {
            guard let cutoff = staleBeforeMillis else { return false }
            return at < cutoff
        }

        if let jolokia = observation?.jolokia {
            if jolokia.reachable {
                switch jolokia.slave {
                case .some(false):
                    evidence.append("Slave=false")
                    if isStale(jolokia.atMillis) { staleMasterSignal = true } else { masterSignal = true }
                case .some(true):
                    evidence.append("Slave=true")
                    slaveSignal = true
                    endpointAnsweredSlave = true
                case .none:
                    evidence.append("endpoint answered, Slave unread")
                }
            } else if let error = jolokia.error {
                evidence.append("endpoint \(error.summary)")
            }
        }

        if let port = observation?.openwire {
            if port.state.isOpen {
                evidence.append("OpenWire open")
                if isStale(port.atMillis) { staleMasterSignal = true } else { masterSignal = true }
            } else {
                evidence.append("OpenWire \(port.state.code)")
            }
        }

        let holderPid = lock?.holder.pid
        let process = observation?.process
        let livePid = process?.livePid
        let holdsLock = livePid != nil && livePid == holderPid
        var processDown = false
        if let process {
            switch process.state {
            case .alive:
                if holdsLock {
                    evidence.append("holds lock (pid \(process.pid.map(String.init) ?? "?"))")
                    // A slave that just took the lock sleeps one keep-alive period before it
                    // serves; its own Slave=true answer is the better word until then.
                    if !endpointAnsweredSlave { masterSignal = true }
                } else {
                    evidence.append("process alive (pid \(process.pid.map(String.init) ?? "?"))")
                    slaveSignal = true
                }
            case .dead:
                evidence.append("process \(process.pid.map(String.init) ?? "?") not running")
                processDown = true
            case .noPidFile:
                evidence.append("no pid file")
                processDown = true
            case .unreadable(let why):
                evidence.append("pid file unreadable: \(why)")
            }
        }

        let role: Role
        if masterSignal {
            role = .master
        } else if slaveSignal {
            role = .slave
        } else if staleMasterSignal {
            evidence.append("master signal predates the lock's last acquisition")
            role = .unknown
        } else if processDown {
            role = .down
        } else {
            if evidence.isEmpty { evidence.append("no signal configured") }
            role = .unknown
        }
        return BrokerVerdict(name: broker.name, role: role, evidence: evidence, holdsLock: holdsLock)
    }
}
