/// Checks a broker's `ca:` file when the configuration is loaded, not at the first TLS handshake.
///
/// A FIFO given as `ca:` blocked `status` forever (the TLS library opened it outside any
/// deadline), and a missing or garbage file only surfaced as `failedToLoadCertificate`
/// naming no file. Read through `SafeFile`, a bad file is now a config error naming it.
public enum CAFileCheck {
    /// The largest CA bundle read: Debian's whole `ca-certificates.crt` is about 220 KB.
    public static let maxBytes = 1_048_576

    /// The PEM text of the file, or throws the problem as a message naming the file.
    public static func pem(atPath path: String) throws(SafeFile.Failure) -> [UInt8] {
        let bytes = try SafeFile.read(path, limitBytes: maxBytes)
        guard containsCertificate(bytes) else {
            throw SafeFile.Failure(path: path, reason: .other("no PEM certificate in it (expected a -----BEGIN CERTIFICATE----- block)"))
        }
        return bytes
    }

    /// Why the file cannot serve as `ca:`, or nil when it can.
    public static func problem(atPath path: String) -> String? {
        do {
            _ = try pem(atPath: path)
            return nil
        } catch {
            return "CA file \(error)"
        }
    }

    private static func containsCertificate(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN CERTIFICATE-----".utf8)
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            if bytes[start..<(start + marker.count)].elementsEqual(marker) { return true }
        }
        return false
    }
}
