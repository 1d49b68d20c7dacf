import Testing
@testable import AMQTopCore

/// Counts and lists in messages read as English: no "1 lab brokers", no "b1 and b2 all claim".
struct EnglishTextTests {
    @Test(arguments: [
        (0, "lab broker", nil, "0 lab brokers"), (1, "lab broker", nil, "1 lab broker"), (2, "lab broker", nil, "2 lab brokers"),
        (1, "group", nil, "1 group"), (11, "group", nil, "11 groups"), (1, "alias", "aliases", "1 alias"), (3, "alias", "aliases", "3 aliases"),
    ] as [(Int, String, String?, String)])
    func countsTakeTheirNounsNumber(_ number: Int, _ singular: String, _ plural: String?, _ expected: String) {
        #expect(EnglishText.count(number, singular, plural: plural) == expected)
    }

    @Test(arguments: [
        ([], "", ""), (["b1"], "b1", "b1"), (["b1", "b2"], "b1 and b2", "b1 and b2 both"),
        (["b1", "b2", "b3"], "b1, b2 and b3", "b1, b2 and b3 all"), (["a", "b", "c", "d"], "a, b, c and d", "a, b, c and d all"),
    ] as [([String], String, String)])
    func listsJoinWithAndAndTheirQuantifier(_ names: [String], _ list: String, _ quantified: String) {
        #expect(EnglishText.list(names) == list)
        #expect(EnglishText.listWithQuantifier(names) == quantified)
    }

    /// The split-brain alert through the real rule: "both" for two masters, "all" for three.
    @Test func splitBrainNamesTheMastersGrammatically() throws {
        let cases: [([Fixtures.Signals], String)] = [
            ([.master(pid: 101), .master(pid: 102), .slave(pid: 103)], "Split brain: b1 and b2 both claim to be master"),
            ([.master(pid: 101), .master(pid: 102), .master(pid: 103)], "Split brain: b1, b2 and b3 all claim to be master"),
        ]
        for (brokers, opening) in cases {
            let observation = Fixtures.observe(brokers, lock: Fixtures.lock(holder: .pid(101)))
            let assessment = GroupAssessor.assess(group: Fixtures.group(), observation: observation, nowMillis: Fixtures.now)
            let alert = try #require(assessment.alerts.first { $0.code == .splitBrain })
            #expect(alert.message.hasPrefix(opening), "\(alert.message)")
        }
    }
}
