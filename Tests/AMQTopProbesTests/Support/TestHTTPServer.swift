import Foundation

/// A real HTTP/1.1 listener on 127.0.0.1 that misbehaves on purpose, one thread per connection.
///
/// Plain blocking sockets on their own threads keep the server independent of the code
/// under test (NIO, the cooperative pool) and make each misbehaviour a few obvious lines.
final class TestHTTPServer: @unchecked Sendable {
    /// What to do with one request.
    enum Behavior: Sendable {
        /// A complete answer with Content-Length; the connection stays open for the next request.
        case respond(status: Int, body: String)
        /// Reads the request and never writes a byte.
        case neverAnswer
        /// Declares the body's length, then sends it one byte every `intervalMillis`.
        case slow(body: String, intervalMillis: Int)
        /// Declares `declaredLength` bytes, sends `sent`, and closes.
        case closeMidBody(declaredLength: Int, sent: String)
        /// Sends `totalBytes` of body, chunked (no length announced) or with a Content-Length.
        case huge(totalBytes: Int, chunked: Bool)
        /// A complete answer of any bytes (invalid UTF-8, say) with extra header lines
        /// (`Location` for a redirect); the connection stays open for the next request.
        case respondBytes(status: Int, extraHeaders: [String], body: [UInt8])
        /// Reads the request and closes the connection without a byte: what a client sees when
        /// it writes into a kept-alive connection the server was just closing.
        case closeWithoutAnswer
        /// A complete answer after `millis`; the connection stays open.
        case delayed(body: String, millis: Int)
        /// Writes `bytes` (a cut-off head, or a head and part of its body) and then nothing.
        case stall(bytes: [UInt8])
    }

    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
        /// Which accepted connection it came on (0 for the first) and its place on it.
        var connection = 0
        var indexOnConnection = 0
    }

    let port: Int
    private let listenFD: Int32
    private let handler: @Sendable (Request) -> Behavior
    private let lock = NSLock()
    private var received: [Request] = []
    private var sent = 0
    private var accepted = 0
    private var stopped = false
    private var connections: [Int32] = []

    init(_ handler: @escaping @Sendable (Request) -> Behavior) throws {
        self.handler = handler
        let (fd, port) = try Self.listen()
        self.listenFD = fd
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Convenience: the same behaviour for every request.
    convenience init(always behavior: Behavior) throws {
        try self.init { _ in behavior }
    }

    var url: String { "http://127.0.0.1:\(port)/api/jolokia" }

    /// The requests received so far.
    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// How many connections were accepted so far.
    var connectionsAccepted: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }

    /// Body bytes written so far, across connections.
    var bytesSent: Int {
        lock.lock()
        defer { lock.unlock() }
        return sent
    }

    /// Closes the listener and every open connection; later calls do nothing.
    ///
    /// Only once: `deinit` calls it again, and closing the listener's descriptor a second
    /// time could close a socket that a later test has since been given the same number for.
    func stop() {
        lock.lock()
        guard !stopped else {
            lock.unlock()
            return
        }
        stopped = true
        let open = connections
        connections.removeAll()
        lock.unlock()
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    // MARK: - Sockets

    /// Binds a listening socket on 127.0.0.1 with a kernel-chosen port.
    static func listen(backlog: Int32 = 64) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        // Accepted sockets inherit this: answers go out at once, as from a real Jetty.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port on 127.0.0.1 where nothing listens: bound, then closed.
    static func refusedPort() throws -> Int {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(fd)
                return
            }
            connections.append(fd)
            let number = accepted
            accepted += 1
            lock.unlock()
            let thread = Thread { [self] in serve(fd, number: number) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32, number: Int) {
        defer { close(fd) }
        var buffer = [UInt8]()
        var index = 0
        while var request = readRequest(fd, &buffer) {
            request.connection = number
            request.indexOnConnection = index
            index += 1
            lock.lock()
            received.append(request)
            lock.unlock()
            switch handler(request) {
            case .respond(let status, let body):
                let bytes = Array(body.utf8)
                // One send for head and body: two small writes would meet Nagle's algorithm and
                // the client's delayed ACK, adding 40 ms to every answer.
                guard write(fd, head(status: status, length: bytes.count) + bytes) else { return }
                count(bodyBytes: bytes.count)
            case .respondBytes(let status, let extraHeaders, let bytes):
                guard write(fd, head(status: status, length: bytes.count, extraHeaders: extraHeaders) + bytes) else { return }
                count(bodyBytes: bytes.count)
            case .closeWithoutAnswer:
                return
            case .delayed(let body, let millis):
                guard isOpen(fd, waitingMillis: millis) else { return }
                let bytes = Array(body.utf8)
                guard write(fd, head(status: 200, length: bytes.count) + bytes) else { return }
                count(bodyBytes: bytes.count)
            case .stall(let bytes):
                guard write(fd, bytes) else { return }
                var scratch = [UInt8](repeating: 0, count: 256)
                while true {
                    let n = recv(fd, &scratch, scratch.count, 0)
                    if n > 0 || (n < 0 && errno == EINTR) { continue }
                    return
                }
            case .neverAnswer:
                // Wait for the client to give up (EOF) or the server to stop.
                // Signals (SIGCHLD from other tests' helper processes) interrupt recv; keep waiting.
                var scratch = [UInt8](repeating: 0, count: 256)
                while true {
                    let n = recv(fd, &scratch, scratch.count, 0)
                    if n > 0 || (n < 0 && errno == EINTR) { continue }
                    return
                }
            case .slow(let body, let interval):
                guard write(fd, head(status: 200, length: body.utf8.count)) else { return }
                for byte in body.utf8 {
                    guard isOpen(fd, waitingMillis: interval), write(fd, [byte], countsAsBody: true) else { return }
                }
            case .closeMidBody(let declared, let partial):
                _ = write(fd, head(status: 200, length: declared))
                _ = write(fd, Array(partial.utf8), countsAsBody: true)
                return
            case .huge(let total, let chunked):
                let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
                let header = chunked
                    ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(total)\r\n\r\n"
                guard write(fd, Array(header.utf8)) else { return }
                var remaining = total
                while remaining > 0 {
                    let piece = Array(chunk.prefix(remaining))
                    let framed = chunked ? Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8) : piece
                    guard write(fd, framed, countsAsBody: true) else { return }
                    remaining -= piece.count
                }
                if chunked { _ = write(fd, Array("0\r\n\r\n".utf8)) }
                return
            }
        }
    }

    private func head(status: Int, length: Int, extraHeaders: [String] = []) -> [UInt8] {
        let reasons = [200: "OK", 302: "Found", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Server Error", 503: "Service Unavailable"]
        let reason = reasons[status] ?? "Status"
        let extra = extraHeaders.map { $0 + "\r\n" }.joined()
        let text = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json;charset=utf-8\r\n\(extra)Content-Length: \(length)\r\n\r\n"
        return Array(text.utf8)
    }

    /// Waits `millis` for the peer to hang up; true when the connection is still open.
    private func isOpen(_ fd: Int32, waitingMillis millis: Int) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var ready = poll(&poller, 1, Int32(millis))
        while ready < 0, errno == EINTR { ready = poll(&poller, 1, Int32(millis)) }
        if ready == 0 { return true }
        var probe: UInt8 = 0
        return recv(fd, &probe, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    private func count(bodyBytes: Int) {
        lock.lock()
        sent += bodyBytes
        lock.unlock()
    }

    private func write(_ fd: Int32, _ bytes: [UInt8], countsAsBody: Bool = false) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
            if countsAsBody {
                lock.lock()
                sent += n
                lock.unlock()
            }
        }
        return true
    }

    /// Reads one request (head and Content-Length body); nil at EOF.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator = Array("\r\n\r\n".utf8)
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        func fill() -> Bool {
            var n = recv(fd, &scratch, scratch.count, 0)
            while n < 0, errno == EINTR { n = recv(fd, &scratch, scratch.count, 0) }
            if n <= 0 { return false }
            buffer.append(contentsOf: scratch[0..<n])
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find(separator, in: buffer)
            if headEnd == nil, !fill() { return nil }
        }
        guard let end = headEnd else { return nil }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + separator.count
        while buffer.count < bodyStart + length {
            if !fill() { return nil }
        }
        let body = String(decoding: buffer[bodyStart..<(bodyStart + length)], as: UTF8.self)
        buffer.removeFirst(bodyStart + length)
        return Request(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers, body: body)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
