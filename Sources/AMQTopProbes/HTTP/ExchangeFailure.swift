import AMQTopCore

/// Why an HTTP exchange on a kept-alive connection failed, and whether any answer had begun.
///
/// A connection the server closed while idle (Jetty after 30 s, a restarted broker) is only
/// noticed when the next request is written into it; such a failure, before any byte of
/// an answer, is the one a poll may retry once on a fresh connection.
struct ExchangeFailure: Error {
    var error: EndpointError
    /// No status line had arrived when it failed.
    var beforeAnswer: Bool
}
