import Foundation
import ReelTestSupport
import Testing

@testable import ReelLibrary

/// A running test server, a library to stage into, and the helpers every download test needs.
private struct Bench {
    let server: HTTPTestServer
    let folder: URL
    let library: Library

    static func start() async throws -> Bench {
        let folder = try Fixtures.scratchDirectory()
        return Bench(
            server: try await HTTPTestServer.start(), folder: folder,
            library: try Library(at: folder.appendingPathComponent("lib").path))
    }

    /// A request with test-sized waits: short backoff and timeouts.
    func request(
        _ path: String, maxAttempts: Int = 5, maxSize: Int64 = 4 << 30, maxRedirects: Int = 10,
        idleTimeout: Duration = .seconds(5), headers: [(name: String, value: String)] = []
    ) -> DownloadRequest {
        request(
            url: server.url(path), maxAttempts: maxAttempts, maxSize: maxSize, maxRedirects: maxRedirects,
            idleTimeout: idleTimeout, headers: headers)
    }

    func request(
        url: String, maxAttempts: Int = 5, maxSize: Int64 = 4 << 30, maxRedirects: Int = 10,
        idleTimeout: Duration = .seconds(5), headers: [(name: String, value: String)] = []
    ) -> DownloadRequest {
        DownloadRequest(
            url: SignedURL(url), headers: headers, maxSize: maxSize, maxRedirects: maxRedirects,
            connectTimeout: .seconds(2), idleTimeout: idleTimeout, maxAttempts: maxAttempts,
            backoff: .milliseconds(20))
    }

    /// Downloads into a new staging file; returns the result and the SHA-256 the staging file computed as it wrote.
    func download(_ request: DownloadRequest) async throws -> (result: DownloadResult, sha256: String) {
        let staging = try library.makeStagingFile()
        let result = try await Downloader().download(request, into: staging)
        #expect(staging.size == result.size)
        return (result, try staging.seal())
    }

    /// The error a download fails with (nil when it succeeds), and what stayed in the staging file.
    func failure(_ request: DownloadRequest) async throws -> (error: FetchError?, staged: Int64) {
        let staging = try library.makeStagingFile()
        do {
            _ = try await Downloader().download(request, into: staging)
            return (nil, staging.size)
        } catch {
            return (error, staging.size)
        }
    }

    /// sha256sum's answer for `data`: the oracle.
    func sha256sum(_ data: Data) throws -> String {
        let path = folder.appendingPathComponent("oracle-\(UUID().uuidString)").path
        try data.write(to: URL(fileURLWithPath: path))
        return String(try Shell.run("sha256sum", [path]).stdout.prefix(64))
    }

    /// Downloads `/a.mp4` served by `first` (dropped after a mebibyte), then by `next`: the result, the staged
    /// SHA-256 and the requests the server saw.
    func resume(
        _ first: HTTPTestReply, then next: HTTPTestReply
    ) async throws -> (result: DownloadResult, sha256: String, requests: [HTTPTestServer.Request]) {
        server.route("/a.mp4", first.dropping(after: mebibyte), next)
        let (result, sha256) = try await download(request("/a.mp4"))
        await stop()
        return (result, sha256, server.requests(for: "/a.mp4"))
    }

    func stop() async { await server.stop() }
}

/// Bytes that differ everywhere (so a misplaced range changes the hash), read from the kernel at once.
private func randomData(_ count: Int) throws -> Data {
    let source = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
    defer { try? source.close() }
    return try source.read(upToCount: count) ?? Data()
}

/// The start of a `Range: bytes=<start>-` header.
private func rangeStart(_ header: String?) -> Int? {
    header.flatMap { Int($0.dropFirst("bytes=".count).dropLast()) }
}

private let mebibyte = 1 << 20

@Suite("downloader: streaming, retries, resume and limits against a real HTTP server", .serialized)
struct DownloaderTests {
    @Test("a served file is staged whole, once, and its streamed SHA-256 is sha256sum's")
    func servesFile() async throws {
        let bench = try await Bench.start()
        let data = try randomData(3 * mebibyte + 123)
        bench.server.route("/gen/a.mp4", .file(data, etag: "\"v1\""))
        let (result, sha256) = try await bench.download(bench.request("/gen/a.mp4"))
        await bench.stop()
        #expect(sha256 == (try bench.sha256sum(data)))
        #expect(result.size == Int64(data.count))
        #expect(result.bytesTransferred == Int64(data.count))
        #expect(result.attempts == 1 && result.resumes == 0 && result.restarts == 0)
        #expect(result.contentType == "video/mp4")
        #expect(result.fileName == "a.mp4")
        #expect(result.finalURL == bench.server.url("/gen/a.mp4"))
        #expect(result.warnings.isEmpty)
    }

    @Test("progress is reported as bytes arrive and ends at the full size")
    func reportsProgress() async throws {
        let bench = try await Bench.start()
        let data = try randomData(2 * mebibyte)
        bench.server.route("/a.mp4", .file(data).trickling(256 << 10, every: .milliseconds(5)))
        let reports = ProgressLog()
        let staging = try bench.library.makeStagingFile()
        _ = try await Downloader().download(bench.request("/a.mp4"), into: staging) { reports.add($0) }
        await bench.stop()
        let seen = reports.all
        #expect(seen.count > 1)
        #expect(seen.last == DownloadProgress(received: Int64(data.count), expected: Int64(data.count), attempt: 1))
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.received < $1.received })
    }

    @Test("a file name comes from Content-Disposition before the URL path")
    func contentDisposition() async throws {
        let bench = try await Bench.start()
        let data = try randomData(1000)
        bench.server.route(
            "/download", .file(data, headers: [("Content-Disposition", "attachment; filename=\"scene 1.mp4\"")]))
        let (result, _) = try await bench.download(bench.request("/download"))
        await bench.stop()
        #expect(result.fileName == "scene 1.mp4")
    }

    @Test("two 503s then the file: three attempts and the right bytes")
    func retries503() async throws {
        let bench = try await Bench.start()
        let data = try randomData(100_000)
        bench.server.route("/a.mp4", .status(503), .status(503), .file(data))
        let (result, sha256) = try await bench.download(bench.request("/a.mp4"))
        await bench.stop()
        #expect(result.attempts == 3)
        #expect(bench.server.requests(for: "/a.mp4").count == 3)
        #expect(sha256 == (try bench.sha256sum(data)))
    }

    @Test("503 on every attempt fails after maxAttempts with the status")
    func gives503Up() async throws {
        let bench = try await Bench.start()
        bench.server.route("/a.mp4", .status(503))
        let (error, _) = try await bench.failure(bench.request("/a.mp4", maxAttempts: 3))
        await bench.stop()
        #expect(error == .http(url: bench.server.url("/a.mp4"), status: 503, reason: "Service Unavailable"))
        #expect(bench.server.requests(for: "/a.mp4").count == 3)
    }

    @Test("429 with Retry-After: 1 waits at least a second before the next attempt")
    func retryAfterSeconds() async throws {
        let bench = try await Bench.start()
        let data = try randomData(10_000)
        bench.server.route("/a.mp4", .status(429, headers: [("Retry-After", "1")]), .file(data))
        let clock = ContinuousClock()
        let start = clock.now
        let (result, _) = try await bench.download(bench.request("/a.mp4"))
        let elapsed = clock.now - start
        await bench.stop()
        #expect(result.attempts == 2)
        #expect(elapsed >= .milliseconds(950))
    }

    @Test("Retry-After as an HTTP date is honoured")
    func retryAfterDate() async throws {
        let bench = try await Bench.start()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let when = formatter.string(from: Date().addingTimeInterval(2))
        bench.server.route("/a.mp4", .status(503, headers: [("Retry-After", when)]), .file(try randomData(1000)))
        let clock = ContinuousClock()
        let start = clock.now
        let (result, _) = try await bench.download(bench.request("/a.mp4"))
        let elapsed = clock.now - start
        await bench.stop()
        #expect(result.attempts == 2)
        #expect(elapsed >= .milliseconds(950))
    }

    @Test("a long Retry-After is capped at maxBackoff")
    func retryAfterCapped() async throws {
        let bench = try await Bench.start()
        bench.server.route("/a.mp4", .status(503, headers: [("Retry-After", "120")]), .file(try randomData(1000)))
        var request = bench.request("/a.mp4")
        request.maxBackoff = .milliseconds(200)
        let clock = ContinuousClock()
        let start = clock.now
        let (result, _) = try await bench.download(request)
        let elapsed = clock.now - start
        await bench.stop()
        #expect(result.attempts == 2)
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(5))
    }

    @Test("cancelling the task stops a stalled download at once, as cancelled")
    func cancels() async throws {
        let bench = try await Bench.start()
        bench.server.route("/slow.mp4", .file(try randomData(mebibyte)).stalling(after: 1000))
        let request = bench.request("/slow.mp4", idleTimeout: .seconds(30))
        let library = bench.library
        let task = Task { () throws -> FetchError? in
            let staging = try library.makeStagingFile()
            do throws(FetchError) {
                _ = try await Downloader().download(request, into: staging)
                return nil
            } catch {
                return error
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        let error = try await task.value
        let elapsed = clock.now - start
        await bench.stop()
        #expect(error == .cancelled(url: bench.server.url("/slow.mp4")))
        #expect(elapsed < .seconds(5))
    }

    @Test("an HTML page arrives as its bytes with its content type (probing rejects it later)")
    func htmlPage() async throws {
        let bench = try await Bench.start()
        let page = "<html><body>Access denied</body></html>"
        bench.server.route("/gen/a.mp4", .html(page))
        let (result, sha256) = try await bench.download(bench.request("/gen/a.mp4"))
        await bench.stop()
        #expect(result.contentType == "text/html; charset=utf-8")
        #expect(sha256 == (try bench.sha256sum(Data(page.utf8))))
    }

    @Test("404 is not retried and reads as GET <url>: HTTP 404 Not Found")
    func notFound() async throws {
        let bench = try await Bench.start()
        bench.server.route("/missing.mp4", .status(404))
        let (error, _) = try await bench.failure(bench.request("/missing.mp4"))
        await bench.stop()
        #expect(error?.description == "GET \(bench.server.url("/missing.mp4")): HTTP 404 Not Found")
        #expect(bench.server.requests.count == 1)
    }

    @Test("a dropped connection resumes with Range and If-Range: right hash, the body crosses the wire about once")
    func resumesAfterDrop() async throws {
        let bench = try await Bench.start()
        let data = try randomData(4 * mebibyte)
        bench.server.route("/a.mp4", .file(data, etag: "\"v1\"").dropping(after: mebibyte), .file(data, etag: "\"v1\""))
        let (result, sha256) = try await bench.download(bench.request("/a.mp4"))
        await bench.stop()
        let requests = bench.server.requests(for: "/a.mp4")
        #expect(requests.count == 2)
        #expect(requests.first?.headers["range"] == nil)
        let start = rangeStart(requests.last?.headers["range"]) ?? 0
        #expect(start > 0 && start <= mebibyte)
        #expect(requests.last?.headers["if-range"] == "\"v1\"")
        #expect(result.resumes == 1 && result.restarts == 0 && result.attempts == 2)
        #expect(sha256 == (try bench.sha256sum(data)))
        #expect(result.bytesTransferred == Int64(data.count))
        let sent = bench.server.bytesSent(for: "/a.mp4")
        #expect(sent == data.count + mebibyte - start && sent < data.count + mebibyte)
    }

    @Test("a connection that drops on every attempt resumes each time, then fails as truncated after maxAttempts")
    func dropsEveryTime() async throws {
        let bench = try await Bench.start()
        let data = try randomData(mebibyte)
        bench.server.route("/a.mp4", .file(data, etag: "\"v1\"").dropping(after: 100_000))
        let (error, staged) = try await bench.failure(bench.request("/a.mp4", maxAttempts: 3))
        await bench.stop()
        let requests = bench.server.requests(for: "/a.mp4")
        #expect(requests.count == 3)
        #expect(requests.dropFirst().allSatisfy { $0.headers["if-range"] == "\"v1\"" })
        #expect(rangeStart(requests.last?.headers["range"]) ?? 0 > 100_000)
        #expect(error == .truncated(url: bench.server.url("/a.mp4"), expected: Int64(data.count), received: staged))
        #expect(staged > 200_000 && staged <= 300_000)
    }

    @Test("without an ETag, Last-Modified is the If-Range validator")
    func resumesWithLastModified() async throws {
        let bench = try await Bench.start()
        let data = try randomData(2 * mebibyte)
        let stamp = "Tue, 01 Dec 2026 10:00:00 GMT"
        bench.server.route(
            "/a.mp4", .file(data, lastModified: stamp).dropping(after: mebibyte), .file(data, lastModified: stamp))
        let (result, sha256) = try await bench.download(bench.request("/a.mp4"))
        await bench.stop()
        #expect(bench.server.requests(for: "/a.mp4").last?.headers["if-range"] == stamp)
        #expect(result.resumes == 1)
        #expect(sha256 == (try bench.sha256sum(data)))
    }

    @Test("a server that ignores Range sends it all again: one restart, the hash still right")
    func restartsWhenRangeIgnored() async throws {
        let bench = try await Bench.start()
        let data = try randomData(2 * mebibyte)
        bench.server.route(
            "/a.mp4", .file(data, etag: "\"v1\"").ignoringRange().dropping(after: mebibyte),
            .file(data, etag: "\"v1\"").ignoringRange())
        let (result, sha256) = try await bench.download(bench.request("/a.mp4"))
        await bench.stop()
        let start = rangeStart(bench.server.requests(for: "/a.mp4").last?.headers["range"]) ?? 0
        #expect(start > 0 && start <= mebibyte)
        #expect(result.restarts == 1 && result.resumes == 0)
        #expect(result.size == Int64(data.count))
        #expect(result.bytesTransferred == Int64(data.count + start))
        #expect(sha256 == (try bench.sha256sum(data)))
    }

    @Test("an ETag changed between attempts restarts and keeps only the new body")
    func restartsWhenETagChanges() async throws {
        let bench = try await Bench.start()
        let old = try randomData(2 * mebibyte)
        let new = try randomData(2 * mebibyte + 7)
        bench.server.route("/a.mp4", .file(old, etag: "\"v1\"").dropping(after: mebibyte), .file(new, etag: "\"v2\""))
        let (result, sha256) = try await bench.download(bench.request("/a.mp4"))
        await bench.stop()
        #expect(bench.server.requests(for: "/a.mp4").last?.headers["if-range"] == "\"v1\"")
        #expect(result.restarts == 1 && result.resumes == 0)
        #expect(sha256 == (try bench.sha256sum(new)))
    }

    @Test("a 206 answering If-Range \"A\" with ETag \"B\" is another file: start over, keep only the new one")
    func restartsWhen206HasAnotherETag() async throws {
        let bench = try await Bench.start()
        let old = try randomData(2 * mebibyte)
        let new = try randomData(2 * mebibyte + 7)
        let (result, sha256, requests) = try await bench.resume(
            .file(old, etag: "\"A\""), then: .file(new, etag: "\"B\"").ignoringIfRange())
        #expect(sha256 == (try bench.sha256sum(new)))
        try #require(requests.count == 3, "the third request starts over")
        #expect(requests[1].headers["if-range"] == "\"A\"" && rangeStart(requests[1].headers["range"]) ?? 0 > 0)
        #expect(requests[2].headers["range"] == nil, "the kept bytes were dropped")
        #expect(result.restarts == 1 && result.resumes == 0 && result.attempts == 3)
        #expect(result.size == Int64(new.count))
    }

    @Test("a 206 with another Last-Modified than the bytes kept is another file: start over")
    func restartsWhen206HasAnotherLastModified() async throws {
        let bench = try await Bench.start()
        let old = try randomData(2 * mebibyte)
        let new = try randomData(2 * mebibyte)
        let (first, second) = ("Tue, 01 Dec 2026 10:00:00 GMT", "Wed, 02 Dec 2026 10:00:00 GMT")
        let (result, sha256, requests) = try await bench.resume(
            .file(old, lastModified: first), then: .file(new, lastModified: second).ignoringIfRange())
        #expect(sha256 == (try bench.sha256sum(new)))
        try #require(requests.count == 3, "the third request starts over")
        #expect(requests[1].headers["if-range"] == first && requests[2].headers["range"] == nil)
        #expect(result.restarts == 1 && result.resumes == 0)
    }

    @Test("a 206 whose Content-Range total is not the first response's length is another file: start over")
    func restartsWhen206HasAnotherTotal() async throws {
        let bench = try await Bench.start()
        let old = try randomData(2 * mebibyte)
        let new = try randomData(3 * mebibyte)
        // The same ETag on both: a server whose validators do not change with the file.
        let (result, sha256, requests) = try await bench.resume(
            .file(old, etag: "\"same\""), then: .file(new, etag: "\"same\""))
        #expect(sha256 == (try bench.sha256sum(new)))
        try #require(requests.count == 3, "the third request starts over")
        #expect(requests[1].headers["range"] != nil && requests[2].headers["range"] == nil)
        #expect(result.restarts == 1 && result.resumes == 0)
        #expect(result.size == Int64(new.count))
    }

    @Test("a body trickling below the minimum rate fails its attempt (retried, resumed), naming the rate and window")
    func minimumRate() async throws {
        let bench = try await Bench.start()
        // A byte every 200 ms: never silent long enough for the idle timeout, and done only after 10 s.
        bench.server.route("/a.mp4", .file(try randomData(50), etag: "\"v1\"").trickling(1, every: .milliseconds(200)))
        var request = bench.request("/a.mp4", maxAttempts: 2, idleTimeout: .seconds(5))
        request.minimumRate = DownloadRequest.MinimumRate(bytesPerSecond: 1000, window: .seconds(1))
        let (error, staged) = try await bench.failure(request)
        await bench.stop()
        let url = bench.server.url("/a.mp4")
        #expect(error == .tooSlow(url: url, minimum: 1000, window: .seconds(1)))
        #expect(error?.description == "GET \(url): slower than 1000 bytes/s for 1 s (minimum rate)")
        let requests = bench.server.requests(for: "/a.mp4")
        #expect(requests.count == 2 && requests[1].headers["if-range"] == "\"v1\"", "the second attempt resumed")
        #expect(staged > 0 && staged < 50)
    }

    @Test("the timeout ends a slow but steady download, and a wait between attempts, naming the limit")
    func overallTimeout() async throws {
        let bench = try await Bench.start()
        // 160 KiB/s, far above any minimum rate: the whole 2 MiB would take 13 s.
        bench.server.route(
            "/steady.mp4", .file(try randomData(2 * mebibyte)).trickling(8 << 10, every: .milliseconds(50)))
        bench.server.route("/busy.mp4", .status(503, headers: [("Retry-After", "30")]))
        var steady = bench.request("/steady.mp4", idleTimeout: .seconds(5))
        steady.timeout = .seconds(1)
        let (error, staged) = try await bench.failure(steady)
        var busy = bench.request("/busy.mp4")
        busy.maxBackoff = .seconds(60)
        busy.timeout = .seconds(1)
        let (waited, _) = try await bench.failure(busy)
        await bench.stop()
        #expect(error == .timedOut(url: bench.server.url("/steady.mp4"), limit: .seconds(1)))
        #expect(error?.description == "GET \(bench.server.url("/steady.mp4")): timed out after 1 s")
        #expect(staged > 0 && staged < 2 * mebibyte)
        #expect(waited == .timedOut(url: bench.server.url("/busy.mp4"), limit: .seconds(1)))
        #expect(bench.server.requests(for: "/busy.mp4").count == 1)
        #expect(FetchError.timedOut(url: "u", limit: .seconds(600)).description == "GET u: timed out after 10 min")
    }

    @Test("a redirect chain (relative and absolute Locations) ends at the file")
    func followsRedirects() async throws {
        let bench = try await Bench.start()
        let data = try randomData(50_000)
        bench.server.route("/chain/1", .redirect(to: "2"))
        bench.server.route("/chain/2", .redirect(to: "/chain/3", status: 301))
        bench.server.route("/chain/3", .redirect(to: bench.server.url("/media/final.mp4"), status: 307))
        bench.server.route("/media/final.mp4", .file(data))
        let (result, sha256) = try await bench.download(bench.request("/chain/1"))
        await bench.stop()
        #expect(result.finalURL == bench.server.url("/media/final.mp4"))
        #expect(result.fileName == "final.mp4")
        #expect(result.attempts == 1)
        #expect(sha256 == (try bench.sha256sum(data)))
    }

    @Test("a redirect loop fails as a loop")
    func redirectLoop() async throws {
        let bench = try await Bench.start()
        bench.server.route("/loop/a", .redirect(to: "/loop/b"))
        bench.server.route("/loop/b", .redirect(to: "/loop/a"))
        let (error, _) = try await bench.failure(bench.request("/loop/a"))
        await bench.stop()
        #expect(error == .redirectLoop(url: bench.server.url("/loop/a"), location: bench.server.url("/loop/a")))
        #expect(bench.server.requests.count == 2)
    }

    @Test("more redirects than maxRedirects fail")
    func tooManyRedirects() async throws {
        let bench = try await Bench.start()
        for step in 1...4 { bench.server.route("/r/\(step)", .redirect(to: "/r/\(step + 1)")) }
        bench.server.route("/r/5", .file(try randomData(10)))
        let (error, _) = try await bench.failure(bench.request("/r/1", maxRedirects: 3))
        await bench.stop()
        #expect(error == .tooManyRedirects(url: bench.server.url("/r/1"), limit: 3))
        #expect(bench.server.requests(for: "/r/5").isEmpty)
    }

    @Test("extra headers go to the original host, not to another host after a redirect")
    func headersStayOnHost() async throws {
        let bench = try await Bench.start()
        let other = "http://localhost:\(bench.server.port)/elsewhere.mp4"
        bench.server.route("/here", .redirect(to: "/there"))
        bench.server.route("/there", .redirect(to: other))
        bench.server.route("/elsewhere.mp4", .file(try randomData(100)))
        _ = try await bench.download(bench.request("/here", headers: [("Authorization", "Bearer sekrit")]))
        await bench.stop()
        #expect(bench.server.requests(for: "/here").first?.headers["authorization"] == "Bearer sekrit")
        #expect(bench.server.requests(for: "/there").first?.headers["authorization"] == "Bearer sekrit")
        #expect(bench.server.requests(for: "/elsewhere.mp4").first?.headers["authorization"] == nil)
    }

    @Test("extra headers stay on their origin: a redirect to another port of the same host gets none")
    func headersStayOnPort() async throws {
        let bench = try await Bench.start()
        let other = try await HTTPTestServer.start()
        bench.server.route("/here", .redirect(to: other.url("/there.mp4")))
        other.route("/there.mp4", .file(try randomData(100)))
        _ = try await bench.download(bench.request("/here", headers: [("Authorization", "Bearer sekrit")]))
        await other.stop()
        await bench.stop()
        #expect(bench.server.requests(for: "/here").first?.headers["authorization"] == "Bearer sekrit")
        #expect(other.requests(for: "/there.mp4").count == 1)
        #expect(other.requests(for: "/there.mp4").first?.headers["authorization"] == nil)
    }

    @Test("an expired JWT URL fails at once, without a request, naming the expiry and its age")
    func expiredJWT() async throws {
        let bench = try await Bench.start()
        let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3 * 86400 - 600).rounded(.down))
        let token = SignedURLs.jwt(exp: expiry)
        let url = bench.server.url("/gen/a.mp4?_jwt=\(token)")
        let (error, _) = try await bench.failure(bench.request(url: url))
        await bench.stop()
        let iso = ISO8601DateFormatter().string(from: expiry)
        #expect(error?.description.hasPrefix("source URL expired at \(iso) (3 days ago)") == true)
        #expect(error?.description.contains(token) == false)
        #expect(bench.server.requests.isEmpty)
    }

    @Test("an expired X-Amz presigned URL fails at once, without a request")
    func expiredAmz() async throws {
        let bench = try await Bench.start()
        let signed = Date().addingTimeInterval(-7200 - 300)
        let url = bench.server.url(
            "/bucket/a.mp4?X-Amz-Date=\(SignedURLs.amzDate(signed))&X-Amz-Expires=3600&X-Amz-Signature=deadbeefcafe")
        let (error, _) = try await bench.failure(bench.request(url: url))
        await bench.stop()
        #expect(error?.description.hasPrefix("source URL expired at ") == true)
        #expect(error?.description.contains("(1 hour ago)") == true)
        #expect(error?.description.contains("deadbeefcafe") == false)
        #expect(bench.server.requests.isEmpty)
    }

    @Test("a 403 on a URL expiring in 10 minutes reads as expiry, not as HTTP 403")
    func forbiddenNearExpiry() async throws {
        let bench = try await Bench.start()
        let expiry = Date().addingTimeInterval(600)
        let token = SignedURLs.jwt(exp: expiry)
        bench.server.route("/gen/a.mp4", .status(403))
        let (error, _) = try await bench.failure(bench.request(url: bench.server.url("/gen/a.mp4?_jwt=\(token)")))
        await bench.stop()
        let description = error?.description ?? ""
        #expect(description.hasPrefix("source URL expired"))
        #expect(description.contains("expires at \(ISO8601DateFormatter().string(from: expiry))"))
        #expect(description.contains("HTTP 403"))
        #expect(!description.contains(token))
        #expect(bench.server.requests.count == 1)
    }

    @Test("a 403 on a URL without expiry stays HTTP 403 Forbidden")
    func forbiddenPlain() async throws {
        let bench = try await Bench.start()
        bench.server.route("/a.mp4", .status(403))
        let (error, _) = try await bench.failure(bench.request("/a.mp4?token=abc123secret"))
        await bench.stop()
        #expect(error?.description == "GET \(bench.server.url("/a.mp4?token=REDACTED")): HTTP 403 Forbidden")
    }

    @Test("a URL expiring within the hour downloads, with a warning naming the expiry")
    func warnsNearExpiry() async throws {
        let bench = try await Bench.start()
        let expiry = Date().addingTimeInterval(30 * 60)
        bench.server.route("/gen/a.mp4", .file(try randomData(1000)))
        let (result, _) = try await bench.download(
            bench.request(url: bench.server.url("/gen/a.mp4?_jwt=\(SignedURLs.jwt(exp: expiry))")))
        await bench.stop()
        let iso = ISO8601DateFormatter().string(from: expiry)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("source URL expires at \(iso) (in 29 minutes)") == true)
        #expect(result.finalURL.contains("_jwt=REDACTED"))
    }

    @Test("a Content-Length longer than the body is a truncated error after the retries, never success")
    func truncatedBody() async throws {
        let bench = try await Bench.start()
        let data = try randomData(60_000)
        bench.server.route("/a.mp4", .file(data).claiming(length: 100_000))
        let (error, _) = try await bench.failure(bench.request("/a.mp4", maxAttempts: 2))
        await bench.stop()
        #expect(error == .truncated(url: bench.server.url("/a.mp4"), expected: 100_000, received: 60_000))
        #expect(bench.server.requests.count == 2)
    }

    @Test("a Content-Length above maxSize fails before the body is read, in human units")
    func declaredTooLarge() async throws {
        let bench = try await Bench.start()
        bench.server.route("/big.mp4", .file(try randomData(8 * mebibyte)))
        let (error, staged) = try await bench.failure(bench.request("/big.mp4", maxSize: Int64(mebibyte)))
        await bench.stop()
        #expect(error?.description == "GET \(bench.server.url("/big.mp4")): body is 8 MiB, over the 1 MiB limit")
        #expect(staged == 0)
        #expect(bench.server.requests.count == 1)
    }

    @Test("a chunked body passing maxSize stops soon after the limit, long before the end")
    func streamedTooLarge() async throws {
        let bench = try await Bench.start()
        let data = try randomData(32 * mebibyte)
        bench.server.route("/big.mp4", .file(data).chunkedEncoding().trickling(256 << 10, every: .milliseconds(1)))
        let (error, staged) = try await bench.failure(bench.request("/big.mp4", maxSize: Int64(mebibyte)))
        await bench.stop()
        #expect(error == .tooLarge(url: bench.server.url("/big.mp4"), limit: Int64(mebibyte), size: nil))
        #expect(staged <= Int64(mebibyte))
        #expect(bench.server.bytesSent(for: "/big.mp4") < data.count / 4)
    }

    @Test("a server that stalls mid-body fails with an idle timeout naming the URL and the seconds")
    func idleTimeout() async throws {
        let bench = try await Bench.start()
        bench.server.route("/slow.mp4", .file(try randomData(mebibyte)).stalling(after: 1000))
        let clock = ContinuousClock()
        let start = clock.now
        let (error, staged) = try await bench.failure(
            bench.request("/slow.mp4", maxAttempts: 1, idleTimeout: .seconds(1)))
        let elapsed = clock.now - start
        await bench.stop()
        #expect(error?.description == "GET \(bench.server.url("/slow.mp4")): no data received for 1 s (idle timeout)")
        #expect(staged == 1000)
        #expect(elapsed < .seconds(10))
    }

    @Test("a server that never accepts fails with a connect timeout naming the URL and the seconds")
    func connectTimeout() async throws {
        let bench = try await Bench.start()
        let listener = try await SilentListener.start()
        let url = "http://127.0.0.1:\(listener.port)/a.mp4"
        var request = bench.request(url: url, maxAttempts: 1)
        request.connectTimeout = .seconds(1)
        let clock = ContinuousClock()
        let start = clock.now
        let (error, _) = try await bench.failure(request)
        let elapsed = clock.now - start
        await listener.stop()
        await bench.stop()
        #expect(error?.description == "GET \(url): could not connect within 1 s (connect timeout)")
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(10))
    }

    @Test("a refused connection is retried, then fails as a connection error")
    func connectionRefused() async throws {
        let bench = try await Bench.start()
        let url = bench.server.url("/a.mp4")
        await bench.stop()
        let (error, _) = try await bench.failure(bench.request(url: url, maxAttempts: 2))
        guard case .connection(let named, _) = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(named == url)
    }

    @Test("a non-http URL is refused without a request")
    func unsupportedScheme() async throws {
        let bench = try await Bench.start()
        let (error, _) = try await bench.failure(bench.request(url: "ftp://example.invalid/a.mp4"))
        await bench.stop()
        #expect(error == .unsupportedURL(url: "ftp://example.invalid/a.mp4"))
    }

    @Test("the token and header values never appear in any error description")
    func neverPrintsSecrets() async throws {
        let bench = try await Bench.start()
        let secret = "tok3nS3cretValue"
        let header = "Bearer h3aderS3cret"
        bench.server.route("/404", .status(404))
        bench.server.route("/503", .status(503))
        bench.server.route("/short", .file(try randomData(1000)).claiming(length: 2000))
        bench.server.route("/loop", .redirect(to: "/loop?token=\(secret)&x=1"))
        bench.server.route("/stall", .file(try randomData(10_000)).stalling(after: 10))
        var descriptions: [String] = []
        for path in ["/404", "/503", "/short", "/loop", "/stall", "/big"] {
            bench.server.route("/big", .file(try randomData(10_000)))
            let request = bench.request(
                "\(path)?token=\(secret)&sig=\(secret)", maxAttempts: 2, maxSize: 5000, idleTimeout: .seconds(1),
                headers: [("Authorization", header)])
            let (error, _) = try await bench.failure(request)
            descriptions.append(error?.description ?? "no error for \(path)")
        }
        await bench.stop()
        #expect(descriptions.count == 6)
        for description in descriptions {
            #expect(!description.contains(secret) && !description.contains("h3aderS3cret"), "\(description)")
            #expect(description.contains("REDACTED"), "\(description)")
        }
    }

    @Test("sizes and ages read in plain words")
    func wording() {
        #expect(FetchError.bytes(4 << 30) == "4 GiB")
        #expect(FetchError.bytes(1536 << 10) == "1.5 MiB")
        #expect(FetchError.bytes(300) == "300 bytes")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(FetchError.relative(now.addingTimeInterval(-3 * 86400 - 5), from: now) == "3 days ago")
        #expect(FetchError.relative(now.addingTimeInterval(240), from: now) == "in 4 minutes")
        #expect(FetchError.relative(now.addingTimeInterval(-3600), from: now) == "1 hour ago")
    }
}

/// Progress reports collected from the download's callback.
private final class ProgressLog: @unchecked Sendable {
    private var reports: [DownloadProgress] = []
    private let lock = NSLock()

    func add(_ report: DownloadProgress) { lock.withLock { reports.append(report) } }
    var all: [DownloadProgress] { lock.withLock { reports } }
}
