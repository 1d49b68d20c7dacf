import AMQTopCore
import NIOHTTP1
import Testing
@testable import AMQTopProbes

/// Connections cut after the request arrived read as a `ConnectionBreak`, whichever layer saw the cut.
struct ConnectionBreakTests {
    /// A broker whose JVM exits inside `exec stop` ends the stream mid-answer; NIO's parser
    /// says "stream ended at an unexpected time" (seen twice in six real-ActiveMQ drills,
    /// which then reported "stop not sent" for a broker that had stopped).
    @Test func anUnexpectedEndOfTheHTTPStreamIsABreakMidAnswer() {
        let classified = TransportErrorClassifier.classify(HTTPParserError.invalidEOFState, timeoutMillis: 1000)
        #expect(ConnectionBreak(classified) == .closedMidAnswer)
    }

    @Test func otherParserErrorsAreNotBreaks() {
        let classified = TransportErrorClassifier.classify(HTTPParserError.invalidVersion, timeoutMillis: 1000)
        #expect(ConnectionBreak(classified) == nil)
        #expect(classified.code == "connection")
    }

    @Test func everyBreakReadsBackFromItsError() {
        for cut in ConnectionBreak.allCases { #expect(ConnectionBreak(cut.error) == cut) }
        #expect(ConnectionBreak(.refused) == nil)
        #expect(ConnectionBreak(.connection("no route to host")) == nil)
    }
}
