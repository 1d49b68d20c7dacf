import AMQTopCore
import AMQTopHistory
import ArgumentParser
import Foundation

/// `amqtop-history-soak`: records simulated takeovers in a loop, for crash tests.
///
/// A test fixture, not part of the product: a test-only executable target that no product
/// lists (it used to be a hidden `amqtop history-soak`). Runs a simulated group through the
/// real detector and store, and prints `committed GROUP KEY` only after each finished
/// failover's transaction has committed, so a test can SIGKILL it at any moment and check
/// that every reported event is in the file.
@main
struct HistorySoak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amqtop-history-soak",
        abstract: "Record simulated failovers in a loop (for tests of crash safety)."
    )

    @Option(help: ArgumentHelp("The history file.", valueName: "FILE"))
    var history: String

    @Option(help: "The simulated group's name.")
    var group = "soak"

    @Option(help: "Stop after this many failovers (0 = until killed).")
    var count = 0

    @Option(name: .customLong("pause-ms"), help: "Pause between simulated polls, in milliseconds.")
    var pauseMillis = 2

    func run() throws {
        let opening = HistoryStore.openRecovering(path: history)
        for notice in opening.notices { StandardError.line("amqtop-history-soak: \(notice)") }
        guard let store = opening.store else { throw ExitCode(3) }

        let config = GroupConfig(
            name: group, lockFile: "/simulated/lock",
            brokers: [BrokerConfig(name: "b1", pidFile: "/simulated/b1.pid"), BrokerConfig(name: "b2", pidFile: "/simulated/b2.pid")])
        var detector = FailoverDetector(group: group)
        // Simulated time starts now and advances 100 ms a poll, so keys are unique per run.
        var clock = TimeFormat.nowMillis()
        var acquiredAt = clock - 60_000
        var masterIndex = 0
        var done = 0
        let output = FileHandle.standardOutput

        func poll(_ lock: LockFileSnapshot.Holder, _ shows: [Bool?]) throws {
            clock += 100
            let brokers = shows.enumerated().map { index, serving in
                let pid = Int32(1000 + index)
                let jolokia: JolokiaObservation = serving.map { JolokiaObservation(atMillis: clock, slave: !$0) }
                    ?? .failed(.refused, atMillis: clock)
                let process = ProcessObservation(atMillis: clock, pid: pid, state: serving == nil ? .dead : .alive)
                return BrokerObservation(name: "b\(index + 1)", jolokia: jolokia, process: process)
            }
            let observation = GroupObservation(
                name: group,
                lock: LockFileSnapshot(path: "/simulated/lock", atMillis: clock, state: .ok, size: 8, acquiredAtMillis: acquiredAt, holder: lock),
                brokers: brokers)
            let assessment = GroupAssessor.assess(group: config, observation: observation, nowMillis: clock)
            let updates = detector.observe(observation, assessment: assessment, nowMillis: clock)
            try store.record(updates)
            for case .failover(let event) in updates where event.isComplete {
                output.write(Data("committed \(event.group) \(event.key)\n".utf8))
            }
            if pauseMillis > 0 { usleep(useconds_t(pauseMillis * 1000)) }
        }

        func states(master: Bool?, other: Bool?) -> [Bool?] {
            masterIndex == 0 ? [master, other] : [other, master]
        }

        try poll(.pid(Int32(1000 + masterIndex)), states(master: true, other: false))
        while count == 0 || done < count {
            // The master dies and the lock goes free; the other broker takes it, then serves.
            try poll(.free, states(master: nil, other: false))
            masterIndex = 1 - masterIndex
            acquiredAt = clock + 50
            try poll(.pid(Int32(1000 + masterIndex)), states(master: false, other: nil))
            try poll(.pid(Int32(1000 + masterIndex)), states(master: true, other: nil))
            // The killed broker comes back as a slave.
            try poll(.pid(Int32(1000 + masterIndex)), states(master: true, other: false))
            done += 1
        }
    }
}
