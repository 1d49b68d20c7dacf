// swift-tools-version:6.0
import PackageDescription

/// What choosing the hand-written exposition writer over swift-prometheus costs, or saves.
///
/// A separate package so that neither amqtop nor CI builds swift-prometheus: it renders the
/// families of one real 300-broker scrape (saved by `serve_bench.py --save-scrape`) with
/// amqtop's `ExpositionWriter` (the same source files, through a symlink) and with
/// swift-prometheus 2.4.1's registry, and prints CPU time per scrape and bytes for each.
let package = Package(
    name: "exposition-cost",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        .target(name: "AMQTopExposition", path: "Sources/AMQTopExposition"),
        .executableTarget(
            name: "exposition-cost",
            dependencies: ["AMQTopExposition", .product(name: "Prometheus", package: "swift-prometheus")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
