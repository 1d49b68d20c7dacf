import AMQTopCore
import ArgumentParser
import Foundation

/// Exit codes and error printing shared by the commands (Nagios plugin convention).
enum ExitCodes {
    /// Bad configuration or nothing could be checked.
    static let unknown: Int32 = 3

    /// Prints a configuration error as `amqtop: FILE:LINE: KEY: MESSAGE` and returns exit 3.
    static func configFailure(_ error: ConfigError) -> ExitCode {
        StandardError.line("amqtop: \(error)")
        return ExitCode(unknown)
    }
}
