import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real S3 server (SeaweedFS) on loopback for tests, run by `Tests/s3-server.sh` with random credentials.
///
/// ``shared()`` starts one server per test process on first use; tests that stop the server start one of their own
/// with ``start()``. Every server is stopped when the process exits (`atexit`), and the script's watchdog removes it
/// even if the process is killed.
public final class S3TestServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: URL
    /// The access key id the server accepts.
    public let accessKeyID: String
    /// Its secret.
    public let secretAccessKey: String
    /// The region to sign for.
    public let region: String
    /// The server's folder (data, log, env file).
    public let directory: String
    /// The env file the script wrote (`S3_PID`, `S3_ENDPOINT`, `AWS_*`…), for `. "$file"` in a shell.
    public let envFile: String

    /// The server shared by the tests of this process, started (and installed, the first time) on first use.
    public static func shared() throws -> S3TestServer { try sharedServer.get() }

    private static let sharedServer = Result { try start() }

    /// `Tests/s3-server.sh`.
    public static let script = Fixtures.packageRoot.appendingPathComponent("Tests/s3-server.sh").path

    /// Starts a server of its own (ports, data, credentials); stopped at exit like the shared one.
    public static func start() throws -> S3TestServer {
        let pid = String(ProcessInfo.processInfo.processIdentifier)
        let result = try Shell.run("bash", [script, "up", "--watch", pid])
        let file = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !file.isEmpty else {
            throw ToolFailure(tool: script, arguments: ["up"], stderr: result.stderr)
        }
        let server = try S3TestServer(envFile: file)
        registry.add(file)
        return server
    }

    private init(envFile: String) throws {
        let values = try Self.values(ofEnvFile: envFile)
        guard let endpoint = values["S3_ENDPOINT"].flatMap(URL.init(string:)), let key = values["AWS_ACCESS_KEY_ID"],
            let secret = values["AWS_SECRET_ACCESS_KEY"], let directory = values["S3_DIR"]
        else { throw ToolFailure(tool: Self.script, arguments: ["up"], stderr: "incomplete env file \(envFile)") }
        self.endpoint = endpoint
        self.accessKeyID = key
        self.secretAccessKey = secret
        self.region = values["AWS_REGION"] ?? "us-east-1"
        self.directory = directory
        self.envFile = envFile
    }

    /// Stops the server (connections are then refused); its data and ports are kept for ``restart()``.
    public func stop() throws { try script("stop") }

    /// Starts the server again on the same ports with the same data; returns once it answers.
    public func restart() throws { try script("start") }

    /// Stops the server and deletes its folder.
    public func remove() throws {
        try script("down")
        Self.registry.remove(envFile)
    }

    private func script(_ command: String) throws {
        let result = try Shell.run("bash", [Self.script, command, envFile])
        guard result.status == 0 else {
            throw ToolFailure(tool: Self.script, arguments: [command, envFile], stderr: result.stderr)
        }
    }

    /// `KEY=VALUE` pairs of the env file's `export` lines.
    static func values(ofEnvFile path: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            for word in line.split(separator: " ") where word != "export" {
                let pair = word.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
            }
        }
        return values
    }

    /// Env files of the servers still running, sent SIGTERM at exit.
    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var files: Set<String> = []

        init() {
            atexit { S3TestServer.terminateAll() }
        }

        func add(_ file: String) { lock.withLock { _ = files.insert(file) } }
        func remove(_ file: String) { lock.withLock { _ = files.remove(file) } }
        var all: Set<String> { lock.withLock { files } }
    }

    /// Sends SIGTERM to every server still registered (the watchdog then deletes their folders).
    private static func terminateAll() {
        for file in registry.all {
            if let pid = (try? values(ofEnvFile: file))?["S3_PID"].flatMap({ Int32($0) }), pid > 0 {
                kill(pid, SIGTERM)
            }
        }
    }
}
