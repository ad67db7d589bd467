// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Reel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reel", targets: ["reel"]),
        .library(name: "ReelAV", targets: ["ReelAV"]),
        .library(name: "ReelLibrary", targets: ["ReelLibrary"]),
        .library(name: "ReelPipeline", targets: ["ReelPipeline"]),
        .library(name: "ReelServe", targets: ["ReelServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [
                .apt([
                    "libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev",
                    "libavfilter-dev",
                ])
            ]
        ),
        .target(name: "CReelLog", dependencies: ["CFFmpeg"]),
        .target(name: "ReelAV", dependencies: ["CFFmpeg", "CReelLog"]),
        .target(name: "CReelFile"),
        .target(
            name: "ReelLibrary",
            dependencies: [
                "CReelFile",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ReelPipeline",
            dependencies: ["ReelAV", "ReelLibrary", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "ReelServe",
            dependencies: [
                "ReelLibrary", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "reel",
            dependencies: [
                "ReelPipeline",
                "ReelServe",
                "ReelAV",
                "ReelLibrary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "ReelTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "ReelAVTests", dependencies: ["ReelAV", "ReelTestSupport"]),
        .testTarget(
            name: "ReelLibraryTests",
            dependencies: [
                "ReelLibrary", "ReelTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "ReelPipelineTests", dependencies: ["ReelAV", "ReelPipeline", "ReelTestSupport"]),
        .testTarget(name: "ReelCLITests", dependencies: ["ReelAV", "ReelTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
