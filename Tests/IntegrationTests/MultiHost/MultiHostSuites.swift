import Testing

/// Every suite that builds a multi-host lab, nested here so they run one after another.
///
/// Each lab is up to three broker hosts with a real sshd and a real ActiveMQ JVM; four labs
/// at once on a two-core machine starved the SSH sessions past the tests' 3 s probe timeout
/// (`timedOut` hosts, a STUCK_LOCK round missed). `.serialized` on a suite applies to its
/// sub-suites too.
@Suite(.serialized)
enum MultiHostSuites {}
