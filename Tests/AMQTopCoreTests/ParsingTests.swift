import Testing
@testable import AMQTopCore

struct ParsingTests {
    @Test(arguments: [
        ("250ms", Int64(250)), ("2s", 2000), ("5m", 300_000), ("1500", 1500), ("1.5s", 1500), ("0", 0), ("1h", 3_600_000), (" 3s ", 3000),
        ("36500d", DurationParser.maximumMilliseconds), ("3153600000000", DurationParser.maximumMilliseconds),
    ])
    func durations(_ text: String, _ millis: Int64) {
        #expect(DurationParser.milliseconds(text) == millis)
    }

    @Test(arguments: [
        "", "s", "-1s", "2 seconds", "1e3", "abc", "2x", "ms",
        // Beyond 100 years; the first trapped converting to Int64 before the bound.
        "1e300s", "36501d", "3153600000001", "99999999999999999999",
    ])
    func badDurations(_ text: String) {
        #expect(DurationParser.milliseconds(text) == nil)
    }

    @Test func durationFormats() {
        #expect(DurationFormat.short(850) == "850ms")
        #expect(DurationFormat.short(4200) == "4.2s")
        #expect(DurationFormat.short(5000) == "5s")
        #expect(DurationFormat.short(192_000) == "3m12s")
        #expect(DurationFormat.short(7_500_000) == "2h05m")
        #expect(DurationFormat.short(277_200_000) == "3d5h")
        #expect(DurationFormat.setting(250) == "250ms")
        #expect(DurationFormat.setting(300_000) == "5m")
    }

    /// One style for measured and configured spans: whole seconds past ten, no zero tail unit,
    /// and a setting in the largest unit it is a whole number of (`1d`, never `1440m`).
    @Test func durationsShareOneStyle() {
        #expect(DurationFormat.short(9_950) == "9.9s")
        #expect(DurationFormat.short(10_000) == "10s")
        #expect(DurationFormat.short(12_345) == "12s")
        #expect(DurationFormat.short(59_999) == "59s")
        #expect(DurationFormat.short(300_000) == "5m")
        #expect(DurationFormat.short(7_200_000) == "2h")
        #expect(DurationFormat.short(259_200_000) == "3d")
        #expect(DurationFormat.setting(86_400_000) == "1d")
        #expect(DurationFormat.setting(7_200_000) == "2h")
        #expect(DurationFormat.setting(90_000) == "90s")
        #expect(DurationFormat.setting(1500) == "1500ms")
        // Every setting reads back as the same value.
        for millis: Int64 in [250, 1500, 2000, 90_000, 300_000, 7_200_000, 86_400_000, 90_000_000] {
            #expect(DurationParser.milliseconds(DurationFormat.setting(millis)) == millis)
        }
    }

    @Test func hostPorts() {
        #expect(HostPort(parsing: "tcp://broker1:61616") == HostPort(host: "broker1", port: 61616))
        #expect(HostPort(parsing: "nio://h:61617?wireFormat.maxInactivityDuration=0") == HostPort(host: "h", port: 61617))
        #expect(HostPort(parsing: "[::1]:61616") == HostPort(host: "::1", port: 61616))
        #expect(HostPort(parsing: "tcp://broker1") == nil)
        #expect(HostPort(parsing: "tcp://broker1:99999") == nil)
    }

    @Test func lockTimestampIsBigEndianSignedMillis() {
        let millis: Int64 = 1_763_900_000_123
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: millis >> (56 - 8 * $0)) }
        #expect(LockFileSnapshot.decodeTimestamp(bytes) == millis)
        #expect(LockFileSnapshot.decodeTimestamp(bytes + [1, 2, 3]) == millis)
        #expect(LockFileSnapshot.decodeTimestamp([0, 0, 1]) == nil)
        #expect(LockFileSnapshot.decodeTimestamp([UInt8](repeating: 0xFF, count: 8)) == -1)
    }

    @Test func mtimeCheck() {
        var lock = Fixtures.lock(holder: .free)
        #expect(lock.mtimeMatchesTimestamp == true)
        lock.mtimeMillis = Fixtures.acquired + 5000
        #expect(lock.mtimeMatchesTimestamp == false)
        lock.acquiredAtMillis = nil
        #expect(lock.mtimeMatchesTimestamp == nil)
    }

    @Test func filesystemKinds() {
        #expect(FilesystemKind(type: "nfs", nfsVersion: "3") == .nfs3)
        #expect(FilesystemKind(type: "nfs", nfsVersion: "4.2") == .nfs4)
        #expect(FilesystemKind(type: "nfs4", nfsVersion: nil) == .nfs4)
        #expect(FilesystemKind(type: "ocfs2", nfsVersion: nil) == .ocfs2)
        #expect(FilesystemKind(type: "ext4", nfsVersion: nil) == .local)
        #expect(!FilesystemKind.local.isShared && FilesystemKind.nfs4.isShared)
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!"\(PasswordSource.environment("AMQ_PASSWORD"))".contains("hunter2"))
    }
}
