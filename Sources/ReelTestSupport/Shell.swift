import Foundation

/// What a finished process left behind.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stderr: String
    public var stdoutData: Data
    /// The standard output as text, decoded when asked: decoding megabytes of raw video as UTF-8 is slow.
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
}

/// Runs tools for tests: the ffmpeg/ffprobe oracles and the built `reel` binary.
public enum Shell {
    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments` and waits for it.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) throws -> ProcessResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = readToEnd(out.fileHandleForReading.fileDescriptor) }
        DispatchQueue.global().async(group: group) { errData = readToEnd(err.fileHandleForReading.fileDescriptor) }
        process.waitUntilExit()
        group.wait()
        return ProcessResult(
            status: process.terminationStatus, stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    }

    /// Everything left to read from `descriptor`, with read(2): FileHandle's reader throws (and catches) an error
    /// per chunk inside Foundation, and Swift Testing records a backtrace for every error thrown, which made
    /// reading a few megabytes of decoded video take a minute.
    private static func readToEnd(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }

    /// Runs ffmpeg quietly; throws with its stderr when it fails.
    public static func ffmpeg(_ arguments: [String]) throws {
        let result = try run("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + arguments)
        guard result.status == 0 else { throw ToolFailure(tool: "ffmpeg", arguments: arguments, stderr: result.stderr) }
    }
}

/// An oracle tool exited non-zero.
public struct ToolFailure: Error, CustomStringConvertible {
    public var tool: String
    public var arguments: [String]
    public var stderr: String

    public init(tool: String, arguments: [String], stderr: String) {
        self.tool = tool
        self.arguments = arguments
        self.stderr = stderr
    }

    public var description: String { "\(tool) \(arguments.joined(separator: " ")) failed: \(stderr)" }
}
