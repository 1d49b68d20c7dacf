import AMQTopTestSupport
import Foundation
import Testing

/// Fuzzes the Jolokia answer parser, the lock-file reader's parsers, the config parser (issue 6),
/// `amqtop init`'s broker XML importer and the broker log-line parser (issue 12), and lock
/// bytes and Jolokia answers through assessment, history, status and the dashboard (the
/// `pipeline` target, issue 14) with libFuzzer for a bounded time each, through `Tests/Fuzz/run.sh`.
///
/// The corpus replay (`FuzzCorpusReplayTests`) only re-runs inputs someone kept; this run
/// mutates them, which is how the `1e300s` duration trap was found. The script is the one
/// build recipe, here and for deep runs by hand. New inputs go to `.build/fuzz`, never to
/// the repository.
@Suite struct FuzzRunTests {
    /// The targets `run.sh` runs, in its order.
    static let targets = ["jolokia", "lock", "config", "brokerxml", "brokerlog", "pipeline"]

    /// Seconds per target: `AMQTOP_FUZZ_SECONDS` for a deep local run (ignored under CI), else what CI runs.
    ///
    /// 45 s each plus the instrumented build (about 9 s) keep the test near 4 minutes on two
    /// cores (144 s measured with three targets); the Jolokia and config targets still grow their coverage after
    /// that, so a longer run by hand is worth it after a parser change.
    static var secondsPerTarget: Int {
        CIEnvironment.developerSetting("AMQTOP_FUZZ_SECONDS").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 45
    }

    /// The repository root, found from this file's own path.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Builds the fuzzer, runs each target; any finding fails naming the target and its input file.
    @Test func fuzzTargetsFindNoCrashLeakOrTimeout() async throws {
        let seconds = Self.secondsPerTarget
        // The test bundle's own build directory holds the Yams objects the fuzzer links; a
        // nested `swift build` would wait forever for the .build lock `swift test` holds.
        let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        var environment = ProcessInfo.processInfo.environment
        environment["AMQTOP_FUZZ_PRODUCTS"] = products
        // The build takes seconds; the allowance is for a machine busy with other builds. Past
        // it, CommandRunner kills the script's whole process group, fuzzer included.
        let budget = 300 + Self.targets.count * (seconds + 30)
        let result = try await CommandRunner.run(
            "/bin/sh", [Self.root.appendingPathComponent("Tests/Fuzz/run.sh").path, String(seconds)],
            deadline: .now + .seconds(budget), environment: environment, currentDirectory: Self.root.path)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let transcript = "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)"

        if result.timedOut {
            Issue.record("Tests/Fuzz/run.sh did not finish within \(budget) s (\(seconds) s per target)\n\(transcript)")
            return
        }
        if lines.contains(where: { $0.hasPrefix("fuzz: BUILD FAILED") }) {
            Issue.record("the instrumented fuzzer did not build (swiftc -sanitize=fuzzer,address)\n\(transcript)")
            return
        }
        if let built = lines.first(where: { $0.hasPrefix("fuzz: built in ") }) {
            print(built)
        }
        // The seed makes the run repeatable; without it a finding's path through the mutations is lost.
        let seedLine = lines.first { $0.hasPrefix("fuzz: seed ") }
        #expect(seedLine != nil, "run.sh printed no seed\n\(transcript)")
        if let seedLine { print(seedLine) }
        var failed = false
        for target in Self.targets {
            if let failure = lines.first(where: { $0.hasPrefix("fuzz: FAILED \(target) ") }) {
                // `fuzz: FAILED <target> artifact: <path> log: <path>`
                let fields = failure.split(separator: " ").map(String.init)
                let artifact = fields.firstIndex(of: "artifact:").map { fields[$0 + 1] } ?? "none"
                failed = true
                // The input itself, from the log, so a CI transcript alone reproduces the finding.
                let input = Self.printedInput(of: target, in: lines)
                #expect(artifact == "none" || input != nil, "run.sh did not print the \(target) input\n\(transcript)")
                Issue.record(
                    """
                    libFuzzer found a crash, leak or timeout in the \(target) target (\(seedLine ?? "no seed")); input: \(artifact)
                    replay: AMQTOP_FUZZ_TARGET=\(target) \(Self.root.path)/.build/fuzz/amqtop-fuzz \(artifact)
                    the input, base64 (decode it into Tests/Fuzz/corpus/\(target)/ once fixed; FuzzCorpusReplayTests replays it):
                    \(input ?? "(not printed)")
                    \(transcript)
                    """)
            } else if let passed = lines.first(where: { $0.hasPrefix("fuzz: passed \(target) ") }) {
                print(passed)
                let runs = passed.split(separator: " ").dropFirst(4).first.flatMap { Int($0) } ?? 0
                #expect(runs > 0, "the \(target) target ran no input: \(passed)")
            } else {
                failed = true
                Issue.record("no result for the \(target) target\n\(transcript)")
            }
        }
        if !failed {
            #expect(result.exitCode == 0 && !result.terminatedBySignal, "run.sh exit \(result.exitCode)\n\(transcript)")
        }
    }

    /// The base64 lines run.sh printed for `target`'s failing input, or nil.
    static func printedInput(of target: String, in lines: [String]) -> String? {
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("fuzz: input \(target) base64 begin") }),
            let end = lines[begin...].firstIndex(of: "fuzz: input end")
        else { return nil }
        return lines[(begin + 1)..<end].joined(separator: "\n")
    }
}
