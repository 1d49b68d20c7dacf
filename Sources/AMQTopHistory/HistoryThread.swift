import Foundation

/// A serial executor that runs its jobs on one dedicated thread, for the history's SQLite work.
///
/// GRDB's writes are synchronous and a slow disk makes them slow; run on the cooperative pool
/// (two threads on a small machine) they would hold a thread the probes and the run loop
/// need. An actor using this executor keeps its `async` API while every one of its jobs,
/// and so every write, runs here instead. The thread ends when the executor goes away.
final class HistoryThread: SerialExecutor, @unchecked Sendable {
    // @unchecked: the only state is `queue`, which guards itself.
    private let queue = JobQueue()

    /// Starts the thread, named `name` (at most 15 bytes: Linux refuses longer names).
    init(name: String) {
        let queue = queue
        // Unowned: a job waiting to run keeps its actor, and so this executor, alive.
        let thread = Thread { [unowned self] in
            // Named from inside: Linux threads otherwise keep the name of whoever started them.
            Self.nameCurrentThread(name)
            Thread.current.threadDictionary[Self.marker] = name
            while let batch = queue.take() {
                for job in batch { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
            }
        }
        thread.name = name
        thread.start()
    }

    deinit { queue.close() }

    /// The name of the history thread the caller runs on, or nil when it runs on any other thread.
    ///
    /// Read from the thread's own dictionary, set when it starts: `Thread.current.name` on
    /// Linux sometimes answers a dispatch thread's name on this very thread.
    static func currentHistoryThread() -> String? { Thread.current.threadDictionary[marker] as? String }

    private static let marker = "amqtop.history-thread"

    /// Names the calling thread (setting it from outside, before `start()`, did not reach the system's name).
    private static func nameCurrentThread(_ name: String) { Thread.current.name = name }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.put(UnownedJob(job))
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// The jobs waiting for the thread.
    private final class JobQueue: @unchecked Sendable {
        // @unchecked: both properties are guarded by `condition`.
        private let condition = NSCondition()
        private var jobs: [UnownedJob] = []
        private var closed = false

        func put(_ job: UnownedJob) {
            condition.lock()
            jobs.append(job)
            condition.signal()
            condition.unlock()
        }

        /// The jobs queued so far, waiting for one; nil once closed.
        func take() -> [UnownedJob]? {
            condition.lock()
            defer { condition.unlock() }
            while jobs.isEmpty && !closed { condition.wait() }
            if jobs.isEmpty { return nil }
            defer { jobs.removeAll() }
            return jobs
        }

        func close() {
            condition.lock()
            closed = true
            condition.signal()
            condition.unlock()
        }
    }
}
