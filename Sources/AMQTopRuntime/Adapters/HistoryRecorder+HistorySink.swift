import AMQTopHistory

/// The SQLite recorder as the history sink (its methods already match; they run on its own thread).
extension HistoryRecorder: HistorySink {}
