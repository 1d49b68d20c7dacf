/// Each broker's own health: down (its process is gone), or its endpoint failing.
///
/// A refused endpoint is not a failure: stock slaves serve no Jolokia until they are master.
public struct BrokerHealthRule: AlertRule {
    public init() {}
    public var name: String { "broker health" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        context.verdicts.compactMap { verdict in
            if verdict.role == .down {
                return Alert(
                    .warning, .brokerDown, "\(verdict.name) is down (\(verdict.evidence.joined(separator: ", "))).",
                    action: "Start \(verdict.name) again so the group keeps a standby.", broker: verdict.name)
            }
            if let error = context.observation.broker(named: verdict.name)?.jolokia?.error, error != .refused {
                return Alert(
                    .warning, .brokerUnreachable, "\(verdict.name)'s status endpoint fails: \(error.summary).",
                    action: Self.advice(for: error), broker: verdict.name)
            }
            return nil
        }
    }

    static func advice(for error: EndpointError) -> String {
        switch error {
        case .auth: "Check the username and password (passwordEnv/passwordFile) for this broker."
        case .tls: "Check the certificate, or give the CA with ca: in the config."
        case .dns, .badURL: "Check the jolokia URL in the config."
        case .timeout: "The broker or its host may be hung; check its JVM (GC, threads) and the network."
        case .redirect(_, _, true): "Check the web server or proxy in front of Jolokia: it redirects the jolokia URL to itself."
        case .redirect(_, let location?, false):
            "Set the jolokia URL to where it redirects (\(location)) if that is right; amqtop never follows a redirect with the password."
        default: "Check the Jolokia URL and the broker's web console."
        }
    }
}
