import Foundation

/// Whether this test run is CI's, and the developer-only variables CI must never honour.
///
/// `.ci/run` refuses to start with any of `weakeningVariables` set; the tests also ignore
/// them under `CI`, so `CI=true swift test` run by hand cannot be weakened either. A
/// variable that shortens, skips or re-records is for a developer's machine, never for
/// the run whose green means "tested".
public enum CIEnvironment {
    /// Variables that skip suites, shorten runs or rewrite expected output.
    public static let weakeningVariables = [
        "AMQTOP_SKIP_ACTIVEMQ", "AMQTOP_SOAK_SECONDS", "AMQTOP_FUZZ_SECONDS", "AMQTOP_RECORD_SNAPSHOTS",
    ]

    /// True when `CI` is set to anything but empty, `0` or `false` (how CI services mark a run).
    public static var isCI: Bool { isCI(ProcessInfo.processInfo.environment) }

    /// The same decision for a given environment, so the rule itself is testable.
    public static func isCI(_ environment: [String: String]) -> Bool {
        guard let value = environment["CI"]?.lowercased() else { return false }
        return !value.isEmpty && value != "0" && value != "false"
    }

    /// The value of a developer-only variable, or nil under CI (where it must not count).
    public static func developerSetting(_ name: String) -> String? {
        developerSetting(name, in: ProcessInfo.processInfo.environment)
    }

    /// The same for a given environment.
    public static func developerSetting(_ name: String, in environment: [String: String]) -> String? {
        isCI(environment) ? nil : environment[name]
    }
}
