import Foundation

/// The built `reel` executable, for tests that check what a user sees: stdout, stderr and the exit code.
public enum ReelBinary {
    /// `$REEL_BIN`, else `reel` beside the test bundle in the build folder.
    public static let path: String = {
        if let path = ProcessInfo.processInfo.environment["REEL_BIN"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("reel").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/reel").path
    }()

    /// Runs `reel` with `arguments`.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil
    ) throws -> ProcessResult {
        try Shell.run(path, arguments, environment: environment, currentDirectory: currentDirectory)
    }

    /// Runs `reel` as the unprivileged user `nobody` when the tests run as root (root reads and writes any file,
    /// so permissions would not show), else as this user.
    @discardableResult
    public static func runUnprivileged(_ arguments: [String]) throws -> ProcessResult {
        guard getuid() == 0 else { return try run(arguments) }
        return try Shell.run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", path] + arguments)
    }
}
