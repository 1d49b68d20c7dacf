import AMQTopTestSupport
import Foundation

/// Where Debian's ActiveMQ, Java and the Jolokia/Jetty jars live, and whether tests may use them.
///
/// CI installs the packages, so a missing `activemq.jar` fails the suite loudly; a developer
/// without them opts out explicitly with `AMQTOP_SKIP_ACTIVEMQ=1`.
enum ActiveMQInstallation {
    /// `ACTIVEMQ_HOME` of Debian's `activemq` package.
    static let home = "/usr/share/activemq"
    /// The jar whose `Main` understands `start xbean:file:...`.
    static let runJar = "\(home)/bin/activemq.jar"
    /// Debian's shared jar directory.
    static let javaLibraryDirectory = "/usr/share/java"
    /// Jars each broker's `lib/` links so its Spring XML can serve Jolokia from a Jetty bean.
    static let jolokiaJarNames = [
        "jolokia-core", "json-simple",
        "jetty9-server", "jetty9-servlet", "jetty9-http", "jetty9-io", "jetty9-util", "jetty9-security",
        "servlet-api",
    ]
    /// Environment variable that turns the real-broker tests into skips.
    static let skipVariable = "AMQTOP_SKIP_ACTIVEMQ"
    /// Environment variable that keeps a group's temporary directory (logs!) after it stops.
    static let keepDirectoriesVariable = "AMQTOP_KEEP_ACTIVEMQ_DIRS"

    /// True when the developer asked to skip the real-broker tests; never under CI, where
    /// a skipped real-broker suite would be a green run that tested nothing.
    static var skipRequested: Bool {
        CIEnvironment.developerSetting(skipVariable) == "1"
    }

    /// True when groups should leave their temporary directories behind for inspection.
    static var keepDirectories: Bool {
        ProcessInfo.processInfo.environment[keepDirectoriesVariable] == "1"
    }

    /// The `java` binary: `$JAVA_HOME/bin/java` when set, else Debian's alternative.
    static var javaExecutable: String {
        if let javaHome = ProcessInfo.processInfo.environment["JAVA_HOME"], !javaHome.isEmpty {
            let candidate = "\(javaHome)/bin/java"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return "/usr/bin/java"
    }

    /// Throws a message naming the missing piece and the way out, unless everything is present.
    static func requireInstalled() throws {
        if let message = problem() {
            throw HarnessError.notInstalled(message)
        }
    }

    /// What is missing, as the sentence CI prints, or nil when ActiveMQ can run here.
    ///
    /// The paths are parameters so a test can check the message without uninstalling anything.
    static func problem(
        runJar: String = runJar,
        java: String = javaExecutable,
        libraryDirectory: String = javaLibraryDirectory
    ) -> String? {
        let fileManager = FileManager.default
        var missing: [String] = []
        if !fileManager.fileExists(atPath: runJar) {
            missing.append(runJar)
        }
        if !fileManager.isExecutableFile(atPath: java) {
            missing.append(java)
        }
        for name in jolokiaJarNames where !fileManager.fileExists(atPath: "\(libraryDirectory)/\(name).jar") {
            missing.append("\(libraryDirectory)/\(name).jar")
        }
        guard !missing.isEmpty else { return nil }
        return "missing \(missing.joined(separator: ", ")). Install Debian's activemq, libjolokia-core-java, "
            + "libjetty9-java, libjson-simple-java and libservlet-api-java, "
            + "or set \(skipVariable)=1 to skip the real-ActiveMQ integration tests."
    }
}
