import Foundation

/// Refuses password files that others could read, as ssh does with private keys.
public enum PasswordFileCheck {
    /// Why the file cannot be used as a password file, or nil when it can.
    public static func problem(atPath path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return "cannot read password file \(path): \(String(cString: strerror(errno)))"
        }
        if let kind = SafeFile.kind(mode: info.st_mode) { return "password file \(path) is \(kind), not a regular file" }
        if info.st_mode & 0o077 != 0 {
            return "password file \(path) is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))): chmod 600 it"
        }
        guard access(path, R_OK) == 0 else { return "cannot read password file \(path): permission denied" }
        return nil
    }
}
