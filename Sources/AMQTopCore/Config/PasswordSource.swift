/// Where a broker's Jolokia password comes from. Never the config file itself or the command line.
public enum PasswordSource: Equatable, Sendable {
    /// An environment variable's name (`passwordEnv:`).
    case environment(String)
    /// A file readable by its owner only (`passwordFile:`).
    case file(String)
}
