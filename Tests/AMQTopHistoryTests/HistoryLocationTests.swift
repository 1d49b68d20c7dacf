import Testing
@testable import AMQTopHistory

/// The default history path follows the XDG base directory spec.
struct HistoryLocationTests {
    @Test func usesXDGStateHome() {
        #expect(HistoryLocation.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/amqtop/history.sqlite")
    }

    @Test func fallsBackToLocalState() {
        #expect(HistoryLocation.defaultPath(environment: ["XDG_STATE_HOME": "", "HOME": "/h"]) == "/h/.local/state/amqtop/history.sqlite")
    }

    @Test func configuredPathWins() {
        #expect(HistoryLocation.resolve(configured: "/x/h.sqlite", environment: ["HOME": "/h"]) == "/x/h.sqlite")
    }
}
