import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a closure on a thread of its own whose file accesses are checked as user nobody.
///
/// Tests run as root in CI, and root opens any file, so a permission case would never run
/// there. Linux keeps a filesystem uid per thread (`setfsuid(2)`, which glibc does not
/// broadcast to other threads, unlike `setuid`); moving it from 0 to 65534 also drops the
/// thread's CAP_DAC_OVERRIDE, so the closure meets the permission checks nobody meets
/// while the rest of the test process stays root. The thread restores its fsuid and ends.
enum UnprivilegedThread {
    /// User nobody's uid on Debian.
    static let nobody: UInt32 = 65534

    /// `setfsuid`, looked up at run time: Swift's Glibc module does not export `<sys/fsuid.h>`.
    private static let setfsuid: (@convention(c) (UInt32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsuid") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UInt32) -> Int32).self)
    }()

    /// Runs `body` as nobody's filesystem identity, or throws when that cannot be arranged.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) throws -> T {
        guard let setfsuid else { throw Failure(reason: "setfsuid is not in libc") }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            // setfsuid returns the previous fsuid; a second call reports whether the first took.
            _ = setfsuid(nobody)
            if setfsuid(nobody) == Int32(bitPattern: nobody) {
                box.value = .success(body())
            } else {
                box.value = .failure(Failure(reason: "setfsuid(\(nobody)) did not take (not root?)"))
            }
            _ = setfsuid(getuid())
            done.signal()
        }
        thread.start()
        done.wait()
        guard let result = box.value else { throw Failure(reason: "the thread produced nothing") }
        return try result.get()
    }

    /// Why the unprivileged thread could not run.
    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "cannot run as nobody: \(reason)" }
    }

    /// Hands the thread's result back; the semaphore orders the write before the read.
    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        var value: Result<T, Failure>?
    }
}
