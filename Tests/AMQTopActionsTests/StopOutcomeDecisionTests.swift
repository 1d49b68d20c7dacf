import AMQTopCore
import AMQTopProbes
import Foundation
import NIOHTTP1
import Testing
@testable import AMQTopActions

/// A Jolokia stop's outcome is decided on the typed `ConnectionBreak`, not on an error's wording.
@Suite struct StopOutcomeDecisionTests {
    @Test(arguments: ConnectionBreak.allCases)
    func aConnectionCutMidAnswerCountsAsSent(cut: ConnectionBreak) {
        let outcome = StopExecutor.outcome(of: .failed(cut.error))
        #expect(outcome.wasSent)
        #expect(outcome.detail.contains(cut.detail))
        #expect(ConnectionBreak(cut.error) == cut)
    }

    @Test(arguments: [
        EndpointError.refused, .timeout(afterMillis: 2000), .dns("nohost: NXDOMAIN"), .connection("no route to host"),
        .connection("connection: reset by the peer"), .auth(status: 401),
    ])
    func anyOtherFailureIsNotSent(error: EndpointError) {
        #expect(ConnectionBreak(error) == nil)
        #expect(StopExecutor.outcome(of: .failed(error)) == .failed(error.summary))
    }

    @Test func theClassifierWritesTheTypedBreaks() {
        #expect(ConnectionBreak(TransportErrorClassifier.classify(errno: ECONNRESET)) == .resetByPeer)
        #expect(ConnectionBreak(TransportErrorClassifier.classify(errno: EPIPE)) == .closedByPeer)
        #expect(ConnectionBreak(TransportErrorClassifier.classify(errno: ECONNREFUSED)) == nil)
        // An answer cut off inside the HTTP parser (seen on real ActiveMQ as the stopped JVM exits).
        #expect(ConnectionBreak(TransportErrorClassifier.classify(HTTPParserError.invalidEOFState, timeoutMillis: 1000)) == .closedMidAnswer)
        #expect(ConnectionBreak(TransportErrorClassifier.classify(HTTPParserError.headerOverflow, timeoutMillis: 1000)) == nil)
    }

    @Test func anAcceptedStopIsSent() {
        #expect(StopExecutor.outcome(of: .accepted) == .sent("Jolokia exec stop answered status 200"))
    }
}
