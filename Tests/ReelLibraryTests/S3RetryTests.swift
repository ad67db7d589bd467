import Foundation
import ReelLibrary
import ReelTestSupport
import Testing

/// Retries against a scripted loopback server (Python's http.server) that answers with a planned list of statuses,
/// in S3's XML error form, and counts the requests it got.
@Suite("S3 client retries what may pass, and only that")
struct S3RetryTests {
    @Test("503 SlowDown and 500 InternalError are retried with backoff until the request succeeds")
    func retriedUntilSuccess() async throws {
        let server = try ScriptedServer(statuses: [503, 500, 200])
        defer { server.stop() }
        let start = ContinuousClock.now
        try await server.client(maxAttempts: 3, retryDelay: .milliseconds(100)).delete(key: "a.mp4")
        #expect(try server.requests() == 3)
        #expect(ContinuousClock.now - start >= .milliseconds(150), "waited at least 50 + 100 ms (half of 100 + 200)")
    }

    @Test("throttling that outlasts every attempt is reported as throttling")
    func throttledAfterAttempts() async throws {
        let server = try ScriptedServer(statuses: [503])
        defer { server.stop() }
        await #expect(throws: RemoteError.throttled(code: "SlowDown")) {
            try await server.client(maxAttempts: 2, retryDelay: .milliseconds(10)).delete(key: "a.mp4")
        }
        #expect(try server.requests() == 2)
    }

    @Test("an authentication error is not retried")
    func authNotRetried() async throws {
        let server = try ScriptedServer(statuses: [403])
        defer { server.stop() }
        await #expect(throws: RemoteError.accessDenied(code: "AccessDenied")) {
            try await server.client(maxAttempts: 4, retryDelay: .milliseconds(10)).delete(key: "a.mp4")
        }
        #expect(try server.requests() == 1)
    }
}

/// A loopback HTTP server answering request n with `statuses[n]` (the last one repeats); 4xx/5xx answers carry an
/// S3 `<Error>` body (403 AccessDenied, 500 InternalError, 503 SlowDown). It is killed with SIGKILL (a test process
/// may ignore SIGTERM, which children inherit) and exits by itself once the test process is gone, so it never keeps
/// the descriptors `swift test` watches open. It must not close inherited descriptors itself: Foundation's `Process`
/// takes that for the child's exit and blocks in `waitpid`.
final class ScriptedServer {
    let port: Int
    let countFile: String
    private let process: Process

    init(statuses: [Int]) throws {
        countFile = try Fixtures.scratchDirectory().appendingPathComponent("count").path
        let script = """
            import http.server, os, signal, sys, threading, time
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            parent = os.getppid()
            def watch():
                while os.getppid() == parent: time.sleep(0.5)
                os._exit(0)
            threading.Thread(target=watch, daemon=True).start()
            plan = [int(s) for s in sys.argv[1].split(",")]
            codes = {403: "AccessDenied", 500: "InternalError", 503: "SlowDown"}
            count = 0
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def answer(self):
                    global count
                    length = int(self.headers.get("Content-Length") or 0)
                    if length: self.rfile.read(length)
                    status = plan[min(count, len(plan) - 1)]
                    count += 1
                    open(sys.argv[2], "w").write(str(count))
                    body = b"" if status < 300 else (
                        "<Error><Code>%s</Code><Message>scripted</Message></Error>" % codes[status]).encode()
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("ETag", '"e"')
                    self.end_headers()
                    self.wfile.write(body)
                do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = answer
                def log_message(self, *args): pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["python3", "-c", script, statuses.map(String.init).joined(separator: ","), countFile]
        let output = Pipe()
        child.standardOutput = output
        child.standardInput = FileHandle.nullDevice
        try child.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text) else {
            child.terminate()
            throw NoPort(output: text)
        }
        self.port = port
        self.process = child
    }

    func client(maxAttempts: Int, retryDelay: Duration) throws -> S3Client {
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)"))
        return S3Client(
            location: S3Location(endpoint: endpoint, bucket: "b"),
            credentials: S3Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET"), maxAttempts: maxAttempts,
            retryDelay: retryDelay)
    }

    /// How many requests the server answered.
    func requests() throws -> Int { Int(try String(contentsOfFile: countFile, encoding: .utf8)) ?? -1 }

    func stop() { kill(process.processIdentifier, SIGKILL) }

    /// The server did not print its port.
    struct NoPort: Error {
        var output: String
    }
}
