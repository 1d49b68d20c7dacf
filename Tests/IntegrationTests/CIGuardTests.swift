import AMQTopTestSupport
import Foundation
import Testing

/// CI cannot be made green by the environment: `.ci/run` refuses the developer-only
/// variables, the tests ignore them under `CI`, and a missing tmux fails rather than skips.
@Suite struct CIGuardTests {
    @Test func ciIsRecognisedTheWayCIServicesSetIt() {
        #expect(CIEnvironment.isCI(["CI": "true"]))
        #expect(CIEnvironment.isCI(["CI": "1"]))
        #expect(!CIEnvironment.isCI([:]))
        #expect(!CIEnvironment.isCI(["CI": ""]))
        #expect(!CIEnvironment.isCI(["CI": "false"]))
        #expect(CIEnvironment.developerSetting("AMQTOP_SOAK_SECONDS", in: ["CI": "true", "AMQTOP_SOAK_SECONDS": "1"]) == nil)
        #expect(CIEnvironment.developerSetting("AMQTOP_SOAK_SECONDS", in: ["AMQTOP_SOAK_SECONDS": "1"]) == "1")
    }

    /// In this very run, when it is CI's: nothing skipped, nothing shortened, whatever is set.
    @Test(.enabled(if: CIEnvironment.isCI, "only a CI run has CI's guarantees"))
    func underCINothingIsSkippedOrShortened() {
        #expect(!ActiveMQInstallation.skipRequested)
        #expect(!TmuxSession.skipped)
        #expect(TmuxSession.isInstalled, "CI installs tmux (.ci/setup); without it the terminal suites cannot run")
        #expect(ActiveMQInstallation.problem() == nil, "CI installs ActiveMQ (.ci/setup)")
        #expect(LockSoakTests.soakDuration == .seconds(600))
        #expect(FuzzRunTests.secondsPerTarget == 45)
    }

    @Test func missingTmuxIsAFailureThatNamesWhatIsMissing() {
        #expect {
            try TmuxSession.requireInstalled(executable: "/nonexistent/tmux")
        } throws: { error in
            "\(error)".contains("/nonexistent/tmux") && "\(error)".contains("tmux")
        }
        // Off CI a developer without tmux may skip the terminal suites; on CI never.
        #expect(TmuxSession.skipped == (!TmuxSession.isInstalled && !CIEnvironment.isCI))
    }

    /// `.ci/run` stops before setup or build when any weakening variable is set.
    @Test(arguments: CIEnvironment.weakeningVariables)
    func ciRunRefusesAWeakeningVariable(name: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        for other in CIEnvironment.weakeningVariables { environment[other] = nil }
        environment[name] = "1"
        environment["CI"] = "true"
        let script = FuzzRunTests.root.appendingPathComponent(".ci/run").path
        let result = try await CommandRunner.run(
            "/bin/bash", [script], deadline: .now + .seconds(30), environment: environment)
        #expect(result.exitCode == 2, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stderr.contains("refusing to run with \(name)=1"), "\(result.stderr)")
    }
}
