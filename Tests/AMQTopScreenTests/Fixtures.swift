import AMQTopDashboardFixtures

/// The shared dashboard fixtures, under the name these suites have always used.
typealias Fixtures = DashboardFixtures
