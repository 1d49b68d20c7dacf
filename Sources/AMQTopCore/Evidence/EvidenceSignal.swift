/// One signal in a broker's evidence: when it was seen, through which probe, and how to say it.
///
/// The phrase names the signal itself ("Slave=false", "OpenWire open", "process 4242 not
/// running"), so a timeline that quotes it can never name a different signal than the one
/// that dated the phase.
public struct EvidenceSignal: Equatable, Sendable, Hashable {
    /// When the probe saw it (epoch ms): the probe's answer, not the time it was read here.
    public var atMillis: Int64
    /// The probe that saw it.
    public var source: FailoverSignal
    /// The signal in a few words, as the evidence lists and timelines show it.
    public var phrase: String

    public init(atMillis: Int64, source: FailoverSignal, phrase: String) {
        self.atMillis = atMillis
        self.source = source
        self.phrase = phrase
    }

    /// The signal as a history phase stamp (instant and probe).
    public var stamp: PhaseStamp { PhaseStamp(atMillis: atMillis, signal: source) }
}
