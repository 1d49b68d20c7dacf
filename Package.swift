// swift-tools-version:6.0
import PackageDescription

/// amqtop: a terminal dashboard for Apache ActiveMQ shared-file-system master/slave groups.
///
/// Pure logic (config, observations, roles, alerts, screen layout) lives in targets with
/// no I/O; probes, the terminal and the lab are separate targets so they can be tested
/// against real servers without the rest.
let package = Package(
    name: "amqtop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "amqtop", targets: ["amqtop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // zlib's gzip reader: rotated broker logs (`activemq.log.2.gz`) are read as they are.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CSysShim", path: "Sources/CSysShim"),
        // libxcrypt's bcrypt, for `amqtop serve`'s basic auth (Debian's libcrypt-dev).
        .systemLibrary(name: "CLibCrypt", path: "Sources/CLibCrypt", providers: [.apt(["libcrypt-dev"])]),
        .target(
            name: "AMQTopCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "AMQTopProbes",
            dependencies: [
                "AMQTopCore", "CSysShim", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "AMQTopScreen", dependencies: ["AMQTopCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "AMQTopTerminal", dependencies: ["AMQTopScreen", "CNCursesW", "CSysShim"]),
        .target(
            name: "AMQTopLab",
            dependencies: [
                "AMQTopCore", "CSysShim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(name: "AMQTopHistory", dependencies: ["AMQTopCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "AMQTopActions", dependencies: ["AMQTopCore", "AMQTopProbes", "CSysShim"]),
        // The dashboard's run loop, history feed and drill runner, behind small protocols
        // (terminal, probe updates, clock, history sink, stop action) so tests drive them.
        .target(
            name: "AMQTopRuntime",
            dependencies: ["AMQTopCore", "AMQTopScreen", "AMQTopTerminal", "AMQTopProbes", "AMQTopHistory", "AMQTopActions"]
        ),
        // Brokers on other hosts: one long-lived OpenSSH session per host, read-only remote probes.
        .target(
            name: "AMQTopRemote",
            dependencies: [
                "AMQTopCore", "AMQTopProbes", "AMQTopActions",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // `amqtop serve`: the metrics text from the dashboard's state (pure) ...
        .target(name: "AMQTopMetrics", dependencies: ["AMQTopCore"]),
        // ... and the headless loop and the HTTP endpoint around it (I/O).
        .target(
            name: "AMQTopServe",
            dependencies: [
                "AMQTopMetrics", "AMQTopRuntime", "AMQTopRemote", "AMQTopCore", "AMQTopProbes", "AMQTopHistory", "AMQTopScreen", "AMQTopTerminal", "AMQTopActions",
                "CLibCrypt",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "amqtop",
            dependencies: [
                "AMQTopCore", "AMQTopProbes", "AMQTopScreen", "AMQTopTerminal", "AMQTopLab", "AMQTopHistory", "AMQTopActions", "AMQTopRuntime", "AMQTopRemote", "AMQTopServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A crash-test fixture for the history (SIGKILLed mid-write); test-only, in no product.
        .executableTarget(
            name: "amqtop-history-soak",
            dependencies: ["AMQTopCore", "AMQTopHistory", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/HistorySoak"
        ),
        // Test helpers more than one test target needs (a plain target: test targets cannot import each other).
        .target(name: "AMQTopTestSupport", path: "Tests/AMQTopTestSupport"),
        // The dashboard groups and observations the screen and run-loop suites share.
        .target(name: "AMQTopDashboardFixtures", dependencies: ["AMQTopCore"], path: "Tests/AMQTopDashboardFixtures"),
        // The pipeline fuzz target's body, also replayed over its corpus by FuzzCorpusReplayTests.
        .target(name: "AMQTopFuzzPipeline", dependencies: ["AMQTopCore", "AMQTopProbes", "AMQTopScreen"], path: "Tests/AMQTopFuzzPipeline"),
        .testTarget(name: "AMQTopCoreTests", dependencies: ["AMQTopCore"]),
        .testTarget(
            name: "AMQTopProbesTests",
            dependencies: [
                "AMQTopProbes", "AMQTopCore", "AMQTopTestSupport", "AMQTopFuzzPipeline",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "AMQTopRemoteTests", dependencies: ["AMQTopRemote", "AMQTopProbes", "AMQTopCore"]),
        .testTarget(
            name: "AMQTopActionsTests",
            dependencies: ["AMQTopActions", "AMQTopProbes", "AMQTopCore", .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .testTarget(name: "AMQTopScreenTests", dependencies: ["AMQTopScreen", "AMQTopCore", "AMQTopTestSupport", "AMQTopDashboardFixtures"], exclude: ["Snapshots"]),
        .testTarget(name: "AMQTopLabTests", dependencies: ["AMQTopLab", "AMQTopCore", "amqtop"]),
        .testTarget(
            name: "AMQTopHistoryTests",
            dependencies: ["AMQTopHistory", "AMQTopCore", "amqtop", "amqtop-history-soak", "AMQTopTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "AMQTopRuntimeTests",
            dependencies: ["AMQTopRuntime", "AMQTopCore", "AMQTopScreen", "AMQTopTerminal", "AMQTopProbes", "AMQTopActions", "AMQTopDashboardFixtures"]
        ),
        .testTarget(name: "AMQTopMetricsTests", dependencies: ["AMQTopMetrics", "AMQTopCore"]),
        .testTarget(name: "AMQTopServeTests", dependencies: ["AMQTopServe", "AMQTopMetrics", "AMQTopCore", .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "IntegrationTests", dependencies: ["AMQTopCore", "AMQTopProbes", "AMQTopRemote", "AMQTopRuntime", "amqtop", "AMQTopTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
