/// Turns the address a server binds to into one a client on the same host can connect to.
public enum ListenAddress {
    /// Wildcard binds (`0.0.0.0`, `::`, empty) become 127.0.0.1: the server listens there too,
    /// and the broker's real host name is not in its files.
    public static func clientHost(_ host: String) -> String {
        isWildcard(host) ? "127.0.0.1" : host
    }

    /// True for the addresses that mean "every interface".
    public static func isWildcard(_ host: String) -> Bool {
        ["", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"].contains(host)
    }
}
