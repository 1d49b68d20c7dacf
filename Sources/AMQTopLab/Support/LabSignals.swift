import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Waits for SIGINT or SIGTERM so a launcher can clean up instead of dying with its children.
public enum LabSignals {
    /// Returns once SIGINT or SIGTERM arrives; both are ignored by default from then on.
    public static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = SignalLatch()
            var sources: [DispatchSourceSignal] = []
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                sources.append(source)
            }
            let all = sources
            for source in all {
                source.setEventHandler {
                    guard fired.fire() else { return }
                    all.forEach { $0.cancel() }
                    continuation.resume()
                }
                source.resume()
            }
        }
    }
}
