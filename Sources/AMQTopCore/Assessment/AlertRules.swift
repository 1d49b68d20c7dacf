/// The alert rules of a group: what is wrong, how bad, and what to do.
///
/// A table of small rules, one concern each (see `Rules/`); this runs them in order and
/// sorts the alerts worst first, keeping the table's order among equal severities.
public enum AlertRules {
    /// Every rule, in the order its alerts appear among alerts of equal severity.
    public static let table: [any AlertRule] = [
        MasterCountRule(),
        LockFileStateRule(),
        MasterLockRule(),
        ForeignLockHolderRule(),
        StuckLockRule(),
        LockViewsDisagreeRule(),
        LockTouchedRule(),
        ImplausibleLockTimestampRule(),
        FilesystemHazardRule(),
        BrokerHealthRule(),
        StandbyRule(),
        BrokerFileDriftRule(),
        BrokerFilesDisagreeRule(),
    ]

    /// Every alert that applies, worst first, in a stable order.
    public static func alerts(_ context: AlertContext) -> [Alert] {
        let alerts = table.flatMap { $0.alerts(context) }
        return alerts.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }
}
