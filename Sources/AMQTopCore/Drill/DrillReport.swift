import Foundation

/// A finished (or running) drill as text for the terminal and as JSON for scripts.
public enum DrillReport {
    /// The timeline, one phase a line with its time since the stop, then the verdict.
    public static func text(_ drill: DrillTimeline, nowMillis: Int64) -> String {
        var lines = ["drill \(drill.group): stop \(drill.oldMaster) at \(TimeFormat.dateTime(drill.stopSentAtMillis))"]
        for phase in drill.listedPhases {
            var name = phase.label
            if phase == .lockAcquired, let by = drill.lockTakenBy { name += " by \(by)" }
            if phase == .newMasterServing, let master = drill.newMaster { name += ": \(master)" }
            let seen = drill.wasSeen(phase)
            let offset = seen ? drill.offset(of: phase).map { "+" + DurationFormat.short(max(0, $0)) } ?? "-" : "-"
            let signal = seen ? drill.signals[phase] ?? "" : drill.unseenReason(phase, nowMillis: nowMillis)
            lines.append("  " + offset.padding(toLength: 9, withPad: " ", startingAt: 0) + name.padding(toLength: 28, withPad: " ", startingAt: 0) + signal)
        }
        let verdict = drill.verdict(nowMillis: nowMillis)
        var summary = "verdict: \(verdict.word)"
        switch verdict {
        case .passed(let took), .slow(let took): summary += ", new master after \(DurationFormat.short(took))"
        case .failed(let why): summary += ", \(why)"
        case .inProgress(let elapsed): summary += ", \(DurationFormat.short(elapsed)) so far"
        }
        summary += " (expected within ~\(DurationFormat.short(drill.expectedWorstCaseFailoverMillis)))"
        if let without = drill.timeWithoutMasterMillis { summary += "; time without master \(DurationFormat.short(without))" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The drill as one JSON object: phases with epoch times and offsets, the verdict.
    public static func json(_ drill: DrillTimeline, nowMillis: Int64) -> OrderedJSON {
        let verdict = drill.verdict(nowMillis: nowMillis)
        var took: Int64?
        var reason: String?
        switch verdict {
        case .passed(let ms), .slow(let ms): took = ms
        case .failed(let why): reason = why
        case .inProgress: break
        }
        return .object([
            ("group", .string(drill.group)),
            ("oldMaster", .string(drill.oldMaster)),
            ("newMaster", .string(drill.newMaster)),
            ("lockTakenBy", .string(drill.lockTakenBy)),
            ("stopSentAtMillis", .int(drill.stopSentAtMillis)),
            ("verdict", .string(verdict.word)),
            ("reason", .string(reason)),
            ("newMasterAfterMillis", .int(took)),
            ("timeWithoutMasterMillis", .int(drill.timeWithoutMasterMillis)),
            ("expectedWorstCaseFailoverMillis", .int(drill.expectedWorstCaseFailoverMillis)),
            ("phases", .array(DrillPhase.allCases.map { phase in
                .object([
                    ("phase", .string(phase.rawValue)),
                    ("atMillis", .int(drill.phases[phase])),
                    ("afterStopMillis", .int(drill.offset(of: phase))),
                    ("signal", .string(drill.signals[phase])),
                ])
            })),
        ])
    }
}
