import Foundation

/// Media made with ffmpeg's test sources, generated on first use into a cache folder shared by test runs.
///
/// Each fixture's file name carries a hash of its ffmpeg arguments, so changing a recipe makes a new file.
/// Files appear atomically (written under a temporary name, then renamed), so parallel tests can ask at once.
public enum Fixtures {
    /// `$REEL_FIXTURES`, else `/tmp/reel-fixtures` (not `$TMPDIR`: SwiftPM gives each test run a new one,
    /// and the cache is meant to outlive a run).
    public static let directory: URL = {
        let base = ProcessInfo.processInfo.environment["REEL_FIXTURES"] ?? "/tmp/reel-fixtures"
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        return URL(fileURLWithPath: base)
    }()

    /// The repository's `samples/` folder.
    public static let samplesDirectory: URL = packageRoot.appendingPathComponent("samples")

    /// The package root, found from this source file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed sample clips.
    public static func samples() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: samplesDirectory.path)
            .filter { [".mp4", ".mov", ".mkv", ".webm", ".ts"].contains(where: $0.hasSuffix) }
            .sorted()
            .map { samplesDirectory.appendingPathComponent($0).path }
    }

    /// A file made by running ffmpeg with `inputs` + `outputOptions` into `name`.`ext`; cached.
    public static func make(_ name: String, ext: String, _ arguments: [String]) throws -> String {
        let key = stableHash((arguments + [ext]).joined(separator: "\u{1F}"))
        let url = directory.appendingPathComponent("\(name)-\(key).\(ext)")
        if FileManager.default.fileExists(atPath: url.path) { return url.path }
        let temporary = directory.appendingPathComponent(".\(name)-\(key)-\(UUID().uuidString).\(ext)")
        try Shell.ffmpeg(arguments + [temporary.path])
        // rename(2) replaces atomically: tests making the same fixture at once each leave a whole file.
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url.path
    }

    /// A file made from an earlier fixture (for remuxes with tags, trims…); cached.
    public static func derive(_ name: String, ext: String, from source: String, _ arguments: [String]) throws -> String
    {
        try make(name, ext: ext, ["-i", source] + arguments)
    }

    /// A new empty folder for one test's outputs.
    public static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reel-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// FNV-1a, hex: stable across runs (unlike `Hasher`).
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
