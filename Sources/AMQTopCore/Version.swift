public enum AMQTopVersion { public static let string = "0.1.0" }
