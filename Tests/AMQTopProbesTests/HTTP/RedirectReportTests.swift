import AMQTopCore
import Testing

@testable import AMQTopProbes

/// What a refused redirect may show: where it points, never what it carries.
@Suite struct RedirectReportTests {
    static let request = "http://broker1:8161/api/jolokia"

    func report(_ location: String?, status: Int = 302, request: String = RedirectReportTests.request) -> EndpointError {
        RedirectReport.error(status: status, location: location, requestURL: request)
    }

    @Test(arguments: [
        // The same target however it is spelled: relative, absolute, case, default port.
        "/api/jolokia", "http://broker1:8161/api/jolokia", "HTTP://BROKER1:8161/api/jolokia", "jolokia",
        "http://user:pw@broker1:8161/api/jolokia#top",
    ])
    func backToTheSameURLIsALoop(_ location: String) {
        #expect(report(location) == .redirect(status: 302, location: "http://broker1:8161/api/jolokia", loop: true))
    }

    @Test func defaultPortsAreTheSameTarget() {
        #expect(report("http://b:80/x", request: "http://b/x") == .redirect(status: 302, location: "http://b:80/x", loop: true))
        #expect(report("https://b/x", request: "https://b:443/x") == .redirect(status: 302, location: "https://b/x", loop: true))
    }

    @Test(arguments: [
        ("https://broker1:8443/api/jolokia", "https://broker1:8443/api/jolokia"),
        ("/hawtio/jolokia/", "http://broker1:8161/hawtio/jolokia/"),
        ("//other/api/jolokia", "http://other/api/jolokia"),
        ("/api/jolokia?x=1", "http://broker1:8161/api/jolokia"),
    ])
    func elsewhereIsNamedNotALoop(_ location: String, _ shown: String) {
        #expect(report(location) == .redirect(status: 302, location: shown, loop: false))
    }

    @Test func secretsInTheLocationAreNeverShown() {
        let error = report("https://admin:hunter2@login.example:9443/sso;jsessionid=ABC/x;v=1?ticket=T0K3N&user=admin#p=w")
        #expect(error == .redirect(status: 302, location: "https://login.example:9443/sso/x", loop: false))
        for secret in ["admin", "hunter2", "ABC", "T0K3N", "ticket", "p=w", "v=1"] {
            #expect(!error.summary.contains(secret), "\(secret) in \(error.summary)")
        }
    }

    @Test(arguments: [nil, "", "   ", "javascript:alert(1)", "mailto:admin@example", "http://", "http://bad host/x"])
    func missingOrUnusableLocationsSayNothingMore(_ location: String?) {
        #expect(report(location) == .redirect(status: 302, location: nil, loop: false))
        #expect(report(location).summary == "HTTP 302 redirect without a usable Location (not followed)")
    }

    @Test func controlCharactersNeverReachTheScreenRaw() {
        // Whether the parser refuses it or percent-encodes it, no escape sequence gets through.
        let summary = report("/\u{1B}[2J\u{7}x").summary
        #expect(!summary.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(summary.debugDescription)")
    }

    @Test func aVeryLongLocationIsCut() {
        let error = report("/" + String(repeating: "a", count: 5000))
        guard case .redirect(_, let location?, false) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(location.count == RedirectReport.maxLocationLength && location.hasSuffix("..."))
    }
}
