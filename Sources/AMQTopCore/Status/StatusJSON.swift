/// The `--json` document of `amqtop status`: stable keys, `null` where a value is unknown, no secrets.
public enum StatusJSON {
    /// The whole report as JSON.
    public static func document(_ report: StatusReport) -> OrderedJSON {
        .object([
            ("status", .string(report.status.word)),
            ("exitCode", .int(Int64(report.status.exitCode))),
            ("checkedAtMillis", .int(report.nowMillis)),
            ("checkedAt", .string(TimeFormat.iso(report.nowMillis))),
            ("groups", .array(report.entries.map { group($0, nowMillis: report.nowMillis) })),
        ])
    }

    static func group(_ entry: StatusReport.Entry, nowMillis: Int64) -> OrderedJSON {
        let assessment = entry.assessment
        return .object([
            ("name", .string(entry.config.name)),
            ("status", .string(assessment.status.word)),
            ("master", .string(assessment.master)),
            ("masters", .array(assessment.masters.map { .string($0) })),
            ("alerts", .array(assessment.alerts.map(alert))),
            ("lock", lock(entry, nowMillis: nowMillis)),
            ("keepAlive", .object([
                ("lockKeepAlivePeriodMillis", .int(entry.config.lockKeepAlivePeriodMillis)),
                ("lockAcquireSleepIntervalMillis", .int(entry.config.lockAcquireSleepIntervalMillis)),
                ("startTimeMillis", .int(entry.config.startTimeMillis)),
                ("expectedWorstCaseFailoverMillis", .int(assessment.expectedWorstCaseFailoverMillis)),
            ])),
            ("brokers", .array(entry.config.brokers.map { broker($0, entry: entry) })),
        ])
    }

    static func alert(_ alert: Alert) -> OrderedJSON {
        .object([
            ("severity", .string(alert.severity.word)),
            ("code", .string(alert.code.rawValue)),
            ("message", .string(alert.message)),
            ("action", .string(alert.action)),
            ("broker", .string(alert.broker)),
        ])
    }

    static func lock(_ entry: StatusReport.Entry, nowMillis: Int64) -> OrderedJSON {
        guard let lock = entry.observation.lock else {
            return .object([("path", .string(entry.config.lockFile)), ("exists", .null), ("state", .string("notConfigured"))])
        }
        let exists: Bool? = switch lock.state {
        case .missing: false
        case .error, .staleHandle: nil
        default: true
        }
        var holderPid: Int64?
        if let pid = lock.holder.pid { holderPid = Int64(pid) }
        let filesystem: OrderedJSON = lock.filesystem.map { fs in
            .object([
                ("type", .string(fs.type)),
                ("mountPoint", .string(fs.mountPoint)),
                ("nfsVersion", .string(fs.nfsVersion)),
                ("shared", .bool(fs.kind.isShared)),
            ])
        } ?? .null
        return .object([
            ("path", .string(lock.path)),
            ("exists", .bool(exists)),
            ("state", .string(lock.state.code)),
            ("stateDetail", .string(lock.state.summary)),
            ("size", .int(lock.size)),
            ("acquiredAtMillis", .int(lock.acquiredAtMillis)),
            ("acquiredAt", .string(lock.acquiredAtMillis.map(TimeFormat.iso))),
            ("ageMillis", .int(lock.ageMillis(nowMillis: nowMillis))),
            // The first 8 bytes when they are no plausible time (then acquiredAtMillis is null).
            ("implausibleTimestampMillis", .int(lock.implausibleTimestampMillis)),
            ("mtimeMillis", .int(lock.mtimeMillis)),
            ("mtimeMatchesTimestamp", .bool(lock.mtimeMatchesTimestamp)),
            ("device", lock.device.map { .int(Int64(bitPattern: $0)) } ?? .null),
            ("inode", lock.inode.map { .int(Int64(bitPattern: $0)) } ?? .null),
            ("held", .bool(lock.holder.isHeld)),
            ("holder", .string(lock.holder.code)),
            ("holderPid", .int(holderPid)),
            ("holderHost", .string(lock.holderHost)),
            ("holderBroker", .string(entry.assessment.lockHolderBroker)),
            ("filesystem", filesystem),
        ])
    }

    /// An endpoint error: its code and message, and for a redirect where it pointed (already without secrets).
    static func endpointError(_ error: EndpointError) -> OrderedJSON {
        var fields: [(String, OrderedJSON)] = [("code", .string(error.code)), ("message", .string(error.summary))]
        if case .redirect(_, let location, let loop) = error {
            fields += [("location", .string(location)), ("redirectLoop", .bool(loop))]
        }
        return .object(fields)
    }

    /// One broker's object: its keys and values are declared in `BrokerColumn.jsonOrder`.
    static func broker(_ config: BrokerConfig, entry: StatusReport.Entry) -> OrderedJSON {
        BrokerColumn.jsonObject(BrokerRow(config: config, group: entry.observation, assessment: entry.assessment))
    }

    static func processState(_ state: ProcessObservation.State) -> String {
        switch state {
        case .alive: "alive"
        case .dead: "dead"
        case .noPidFile: "noPidFile"
        case .unreadable: "unreadable"
        case .unreachable: "unreachable"
        }
    }
}
