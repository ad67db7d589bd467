import Foundation

/// A `reel` process running in the background, for tests that signal or kill it in the middle of its work.
/// Its stdout and stderr go to files, so the test can read them while it runs and nothing blocks on a full pipe.
///
/// It starts with SIGINT and SIGTERM unblocked and at their default action, as from a shell: a test runner's
/// threads block them, and a child would otherwise inherit that.
public final class ReelProcess {
    public let process = Process()
    private let stdoutURL: URL
    private let stderrURL: URL

    /// Starts `reel` with `arguments`; `environment` is added to the test's own.
    public init(_ arguments: [String], environment: [String: String] = [:], currentDirectory: String? = nil) throws {
        let folder = try Fixtures.scratchDirectory()
        stdoutURL = folder.appendingPathComponent("stdout")
        stderrURL = folder.appendingPathComponent("stderr")
        for url in [stdoutURL, stderrURL] { try Data().write(to: url) }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=INT,TERM", ReelBinary.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    /// What it wrote to stdout so far.
    public var stdout: Data { (try? Data(contentsOf: stdoutURL)) ?? Data() }
    /// What it wrote to stderr so far.
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Processor time the process has used so far (user and system, all its threads), from `/proc`: how far into
    /// its work it is, whatever the machine's load.
    public var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Polls `condition` every 20 ms until it holds, the process ends, or `seconds` pass; returns whether it held.
    @discardableResult
    public func wait(upTo seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            usleep(20_000)
        }
        return condition()
    }

    /// Sends `signal` and waits for the process to end.
    public func stop(with signal: Int32) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }
}

/// Whether `folder` holds a hidden file (a name starting with a dot), as temporary files beside a target are named.
public func hasHiddenFile(in folder: String) -> Bool {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { $0.hasPrefix(".") }
}
