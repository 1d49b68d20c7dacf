import NIOCore

/// Runs poll tasks on the event loop that the probes' connections live on.
///
/// A poll then never changes thread: its request is written inline (the connection sees it
/// is on its loop), the answer's future resumes the task on the same loop, and the parse
/// runs there too. Without it every poll paid two cross-thread wake-ups (into the loop and
/// back to the cooperative pool), which with hundreds of brokers a second were a large
/// share of the dashboard's CPU, most of it the kernel switching threads. Nothing in a poll
/// blocks (I/O is NIO's or the `BlockingExecutor`'s), so the loop keeps serving the others.
public final class PollExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
