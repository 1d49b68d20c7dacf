/// One attribute of the broker MBean that every poll reads: its Jolokia name, how its value
/// is decoded and stored, and whether a change of it must be drawn at once.
///
/// The list is `JolokiaObservation.attributes`; the request, the parser and the redraw
/// policy all follow it, so a new attribute is one stored property and one line there
/// (and, to show it, one column in `BrokerColumn`'s declarations).
public struct BrokerAttribute: Sendable {
    /// How the JSON value is decoded, and the observation's property that keeps it.
    public enum Value: Sendable {
        /// A JSON boolean.
        case flag(WritableKeyPath<JolokiaObservation, Bool?> & Sendable)
        /// A JSON string.
        case text(WritableKeyPath<JolokiaObservation, String?> & Sendable)
        /// A JSON integer.
        case count(WritableKeyPath<JolokiaObservation, Int64?> & Sendable)
        /// A JSON integer that fits an `Int` (0...100 in practice).
        case percent(WritableKeyPath<JolokiaObservation, Int?> & Sendable)
        /// A JSON object of strings (`TransportConnectors`: name to URI); `null` reads as empty.
        case stringMap(WritableKeyPath<JolokiaObservation, [String: String]?> & Sendable)
    }

    /// What a change of the value asks of the screen.
    public enum Redraw: Sendable {
        /// A state an operator acts on (a role, a name, a version): drawn within one frame.
        case atOnce
        /// A measurement that moves on every poll (uptime, counters, usage): waits for the next tick.
        case nextTick
    }

    /// The attribute's name in the MBean, as Jolokia reads it.
    public let name: String
    public let value: Value
    public let redraw: Redraw

    public init(_ name: String, _ value: Value, redraw: Redraw) {
        self.name = name
        self.value = value
        self.redraw = redraw
    }

    /// Sets a present value to a fixed one (nil stays nil), so two observations differing
    /// only in this measurement compare equal.
    public func clear(in observation: inout JolokiaObservation) {
        switch value {
        case .flag(let path): if observation[keyPath: path] != nil { observation[keyPath: path] = false }
        case .text(let path): if observation[keyPath: path] != nil { observation[keyPath: path] = "" }
        case .count(let path): if observation[keyPath: path] != nil { observation[keyPath: path] = 0 }
        case .percent(let path): if observation[keyPath: path] != nil { observation[keyPath: path] = 0 }
        case .stringMap(let path): if observation[keyPath: path] != nil { observation[keyPath: path] = [:] }
        }
    }
}
