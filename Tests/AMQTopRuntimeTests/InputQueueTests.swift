import AMQTopActions
import AMQTopCore
import AMQTopProbes
import AMQTopRuntime
import AMQTopTerminal
import Testing

/// The loop's bounded input: a full queue drops measurements, never what the operator did.
@Suite(.timeLimit(.minutes(1)))
struct InputQueueTests {
    static func result(_ broker: String, at: Int64) -> LoopInput {
        .poll(.broker(group: "prod-east", BrokerObservation(name: broker, jolokia: JolokiaObservation(atMillis: at, slave: false))))
    }

    static let stopped = LoopInput.stopped(group: "prod-east", broker: "b1", StopReport(outcome: .sent("ok"), sentAtMillis: 1))

    func drain(_ queue: InputQueue) async -> [LoopInput] {
        queue.finish()
        var all: [LoopInput] = []
        while let input = await queue.next() { all.append(input) }
        return all
    }

    @Test func aFullQueueDropsMeasurementsNeverKeyPressesOrStops() async {
        let queue = InputQueue(capacity: 4)
        queue.push(Self.result("b1", at: 1))
        queue.push(Self.result("b2", at: 1))
        queue.push(.terminal(.key(.character("s"))))
        queue.push(Self.result("b1", at: 2))
        // Full: b3's result replaces the oldest measurement (b1's first).
        queue.push(Self.result("b3", at: 2))
        // Never dropped, even past the capacity.
        queue.push(.terminal(.key(.enter)))
        queue.push(Self.stopped)
        queue.push(.terminal(.signal(15)))
        // b2's newer result supersedes its queued one.
        queue.push(Self.result("b2", at: 3))
        #expect(queue.droppedMeasurements == 2)
        #expect(await drain(queue) == [
            .terminal(.key(.character("s"))), Self.result("b1", at: 2), Self.result("b3", at: 2),
            .terminal(.key(.enter)), Self.stopped, .terminal(.signal(15)), Self.result("b2", at: 3),
        ])
    }

    @Test func aQueueFullOfKeysDropsTheNewMeasurement() async {
        let queue = InputQueue(capacity: 2)
        queue.push(.terminal(.key(.character("a"))))
        queue.push(.terminal(.key(.character("b"))))
        queue.push(Self.result("b1", at: 1))
        queue.push(.poll(.roundComplete(atMillis: 5)))
        queue.push(.terminal(.key(.character("c"))))
        #expect(queue.droppedMeasurements == 2)
        #expect(await drain(queue) == [.terminal(.key(.character("a"))), .terminal(.key(.character("b"))), .terminal(.key(.character("c")))])
    }

    @Test func belowCapacityNothingIsDropped() async {
        let queue = InputQueue(capacity: 100)
        let inputs = (0..<50).map { Self.result("b1", at: Int64($0)) }
        for input in inputs { queue.push(input) }
        #expect(queue.droppedMeasurements == 0)
        #expect(await drain(queue) == inputs)
    }

    /// A burst pushed at once reaches the loop in one take, in order and up to the limit; the
    /// capacity still holds for each of its measurements.
    @Test func aBurstIsTakenInOneGoInOrderAndBounded() async {
        let queue = InputQueue(capacity: 3)
        let waiting = Task { await queue.nextBurst(limit: 10) }
        let burst = (1...3).map { Self.result("b\($0)", at: 1) }
        // Whether `nextBurst` is already waiting or not, the whole burst comes in one take.
        queue.push(contentsOf: burst)
        #expect(await waiting.value == burst)
        // Past the capacity, a newer result of b1 supersedes its queued one, a key is never dropped.
        queue.push(contentsOf: burst + [.terminal(.key(.character("s"))), Self.result("b1", at: 2)])
        #expect(queue.droppedMeasurements == 1)
        #expect(await queue.nextBurst(limit: 2) == [Self.result("b2", at: 1), Self.result("b3", at: 1)])
        #expect(await drain(queue) == [.terminal(.key(.character("s"))), Self.result("b1", at: 2)])
    }

    @Test func aWaitingLoopGetsTheNextInputAtOnce() async {
        let queue = InputQueue(capacity: 1)
        let waiting = Task { await queue.next() }
        // Whether `next()` is already waiting or not, the input arrives exactly once.
        queue.push(.terminal(.key(.character("q"))))
        #expect(await waiting.value == .terminal(.key(.character("q"))))
        queue.finish()
        #expect(await queue.next() == nil)
    }
}
