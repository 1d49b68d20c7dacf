import AMQTopLab
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A deliberately tiny blocking HTTP/1.1 client over a loopback socket, so the tests see the
/// lab's raw status line, headers and bytes, and can tell "connection refused" apart.
enum RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
        /// The body parsed as JSON, nil when it is not JSON.
        var json: JolokiaJSON? { JolokiaJSON.parse(body) }
    }

    enum Failure: Error {
        case refused
        case io(String)
    }

    /// Sends one request with `Connection: close` and reads the answer to EOF.
    static func send(
        port: Int, method: String = "GET", path: String, body: String? = nil, authorization: String? = nil,
        timeoutSeconds: Int = 3
    ) throws -> Response {
        let descriptor = try connect(port: port, timeoutSeconds: timeoutSeconds)
        defer { close(descriptor) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let authorization { request += "Authorization: \(authorization)\r\n" }
        if let body {
            request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            request += "\r\n"
        }
        let bytes = Array(request.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw Failure.io("write") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 { throw Failure.io("read errno \(errno)") }
            if count == 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure.io("no header end in \(text)") }
        let headLines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = headLines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.io("bad status line") }
        var headers: [String: String] = [:]
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        guard let descriptor = try? connect(port: port, timeoutSeconds: 1) else { return false }
        close(descriptor)
        return true
    }

    private static func connect(port: Int, timeoutSeconds: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.io("socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw code == ECONNREFUSED ? Failure.refused : Failure.io("connect errno \(code)")
        }
        return descriptor
    }
}
