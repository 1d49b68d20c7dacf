import Foundation

/// Splits a remote shell's output into replies, one per request, by a per-session marker.
///
/// Every request ends with `printf '\n%s:%s:%s\n' NONCE ID STATUS`. The nonce is 128 random
/// bits made for this session and never shown to the remote side in any file or argument,
/// so a file's content (a pid file, the lock, /proc) cannot forge the end of a reply; the
/// request id must also be the one expected next, since replies come back in order.
public struct FrameDecoder: Sendable {
    /// A decoded reply: the request id, its exit status, its output bytes.
    public struct Frame: Sendable, Equatable {
        public var id: UInt64
        public var status: Int32
        public var output: Data
    }

    public let nonce: String
    private var buffer = Data()
    private let marker: Data

    /// The most output one reply may have before the session is judged broken (the reads are small).
    public static let maxReplyBytes = 4 << 20

    public init(nonce: String) {
        self.nonce = nonce
        self.marker = Data(("\n" + nonce + ":").utf8)
    }

    /// A fresh random nonce (32 hex digits).
    public static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// The shell text that runs `script` as request `id`: its stdin detached (it must not eat
    /// the following requests), stderr joined to stdout, and the end marker with its status.
    public func frame(script: String, id: UInt64) -> String {
        "{ \(script)\n} </dev/null 2>&1; printf '\\n%s:%s:%s\\n' '\(nonce)' '\(id)' \"$?\"\n"
    }

    /// Adds bytes read from the session; returns the frames now complete, in order.
    /// Throws when the output overflows or a marker is malformed (the session must be dropped).
    public mutating func append(_ data: Data) throws -> [Frame] {
        buffer.append(data)
        var frames: [Frame] = []
        while let range = buffer.range(of: marker) {
            guard let end = buffer[range.upperBound...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let tail = String(decoding: buffer[range.upperBound..<end], as: UTF8.self).split(separator: ":")
            guard tail.count == 2, let id = UInt64(tail[0]), let status = Int32(tail[1]) else {
                throw FrameError.malformed
            }
            frames.append(Frame(id: id, status: status, output: Data(buffer[buffer.startIndex..<range.lowerBound])))
            buffer = Data(buffer[(end + 1)...])
        }
        if buffer.count > Self.maxReplyBytes { throw FrameError.tooLarge }
        return frames
    }

    /// Why a session's output cannot be decoded.
    public enum FrameError: Error, Equatable {
        case malformed
        case tooLarge
    }
}
