/* A sigsuspend(3) that hands the kernel a writable copy of the mask, for running amqtop under
 * Debian 12's valgrind 3.19 (Benchmarks/callgrind_polls.py preloads it with LD_PRELOAD).
 *
 * Why: Swift's async main ends in dispatch_main(), whose main thread parks in libdispatch's
 * _dispatch_sigsuspend() with `static const sigset_t mask` (read-only data). Valgrind 3.19's
 * wrapper of rt_sigsuspend removes its own VG_SIGVGKILL from the caller's mask in place, so it
 * writes into libdispatch's read-only segment and dies of SIGSEGV ("VALGRIND INTERNAL ERROR:
 * Valgrind received a signal 11", si_code=2, the faulting address inside libdispatch.so) just as
 * the first worker threads start. With the mask on this function's stack the write is harmless.
 * Benchmarking aid only: nothing in amqtop links it. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, (long)(_NSIG / 8));
}
