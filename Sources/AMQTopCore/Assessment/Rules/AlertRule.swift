/// One alert rule: a single concern of a group's health, judged from the assessment's context.
///
/// Rules are small and pure so each has its own table test; `AlertRules.table` lists them
/// in the order their alerts appear among alerts of equal severity.
public protocol AlertRule: Sendable {
    /// A short name for tests and listings, e.g. "split brain".
    var name: String { get }
    /// The alerts this rule raises for the group, in a stable order.
    func alerts(_ context: AlertContext) -> [Alert]
}
