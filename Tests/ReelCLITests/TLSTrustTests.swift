import Foundation
import ReelTestSupport
import Testing

/// HTTPS servers whose certificate this machine does not trust (a private CA): refused in one plain line, and
/// trusted once the CA's PEM is given, for fetch and for remotes alike.
@Suite("TLS trust", .serialized)
struct TLSTrustTests {
    private let credentials = [
        "REEL_REMOTE_PRIVATE_ACCESS_KEY_ID": "AKIDEXAMPLE", "REEL_REMOTE_PRIVATE_SECRET_ACCESS_KEY": "secret",
    ]

    /// An HTTPS server with a fresh self-signed certificate, serving the fixture clip at `/clip.mp4`.
    private func clipServer() async throws -> (HTTPTestServer, TestCertificate, clip: String) {
        let certificate = try TestCertificate.selfSigned()
        let server = try await HTTPTestServer.start(tls: certificate)
        let clip = try Fixtures.h264AAC()
        server.route("/clip.mp4", .file(try Data(contentsOf: URL(fileURLWithPath: clip))))
        return (server, certificate, clip)
    }

    private func sha256sum(_ path: String) throws -> String {
        String(try Shell.run("sha256sum", [path]).stdout.prefix(64))
    }

    @Test("an untrusted certificate: one line naming the host and the way in, no BoringSSL text, exit 1")
    func untrustedFetch() async throws {
        let (server, _, _) = try await clipServer()
        defer { Task { await server.stop() } }
        let scratch = try LibraryScratch()
        let result = try scratch.reel(["fetch", server.url("/clip.mp4")])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("TLS certificate of 127.0.0.1 is not trusted"), "\(result.stderr)")
        #expect(result.stderr.contains("SSL_CERT_FILE or --ca-file"), "\(result.stderr)")
        for raw in ["handshakeFailed", "BoringSSL", ".cc:", "CERTIFICATE_VERIFY_FAILED"] {
            #expect(!result.stderr.contains(raw), "\(result.stderr)")
        }
        // Certificate failures are not retried: one connection attempt only.
        #expect(server.requests.isEmpty)
    }

    @Test("with --ca-file, or SSL_CERT_FILE, the fetch succeeds and the item hashes as the served bytes")
    func trustedFetch() async throws {
        let (server, certificate, clip) = try await clipServer()
        defer { Task { await server.stop() } }
        let expected = try sha256sum(clip)
        for (arguments, environment) in [
            (["--ca-file", certificate.certificatePath], [String: String]()),
            ([], ["SSL_CERT_FILE": certificate.certificatePath]),
            ([], ["REEL_CA_FILE": certificate.certificatePath]),
        ] {
            let scratch = try LibraryScratch()
            let result = try scratch.reel(
                ["fetch", server.url("/clip.mp4"), "--json"] + arguments, environment: environment)
            #expect(result.status == 0, "\(arguments) \(environment): \(result.stderr)")
            let item = (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
            #expect(item["sha256"] as? String == expected)
            #expect(try sha256sum(item["path"] as? String ?? "/dev/null") == expected)
        }
    }

    @Test("a CA file that is missing or not PEM is a usage error naming it, exit 2, before any request")
    func badCAFile() async throws {
        let (server, _, _) = try await clipServer()
        defer { Task { await server.stop() } }
        let scratch = try LibraryScratch()
        let missing = scratch.folder.appendingPathComponent("none.pem").path
        let notPEM = try scratch.file("notes.txt", text: "just some words")
        for (path, cause) in [(missing, "no such file"), (notPEM, "not a PEM certificate bundle")] {
            let result = try scratch.reel(["fetch", server.url("/clip.mp4"), "--ca-file", path])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("CA file \(path) (--ca-file): \(cause)"), "\(result.stderr)")
        }
        let fromEnvironment = try scratch.reel(
            ["fetch", server.url("/clip.mp4")], environment: ["SSL_CERT_FILE": notPEM])
        #expect(fromEnvironment.status == 1)
        #expect(
            fromEnvironment.stderr.contains("CA file \(notPEM) (SSL_CERT_FILE): not a PEM"), "\(fromEnvironment.stderr)"
        )
        #expect(server.requests.isEmpty)
    }

    @Test("a remote on a private CA: refused without its ca_file, saved with it (HEAD, PUT, HEAD over TLS)")
    func remoteCAFile() async throws {
        let certificate = try TestCertificate.selfSigned()
        let server = try await HTTPTestServer.start(tls: certificate)
        defer { Task { await server.stop() } }
        let scratch = try LibraryScratch()
        let file = try scratch.file("a.bin", bytes: 5000)
        #expect(try scratch.reel(["library", "import", "--kind", "other", file]).status == 0)
        let sha256 = try sha256sum(file)
        let id = String(sha256.prefix(12))
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        server.route(
            "/media/\(id).bin", .status(404), HTTPTestReply(status: 200, headers: [("ETag", "\"e1\"")]),
            HTTPTestReply(status: 200, headers: [("ETag", "\"e1\""), ("x-amz-meta-sha256", sha256)], body: data))

        let add = ["remote", "add", "private", "--endpoint", server.url(""), "--bucket", "media", "--path-style"]
        #expect(try scratch.reel(add).status == 0)
        let refused = try scratch.reel(["library", "save", id, "--remote", "private"], environment: credentials)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("TLS certificate of 127.0.0.1 is not trusted"), "\(refused.stderr)")
        #expect(server.requests.isEmpty)

        #expect(try scratch.reel(add + ["--force", "--ca-file", certificate.certificatePath]).status == 0)
        let config = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: scratch.library + "/config.json")))
        let remotes = (config as? [String: Any])?["remotes"] as? [String: [String: Any]]
        #expect(remotes?["private"]?["ca_file"] as? String == certificate.certificatePath)
        let saved = try scratch.reel(["library", "save", id, "--remote", "private"], environment: credentials)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(server.requests.map(\.method) == ["HEAD", "PUT", "HEAD"])
        #expect(server.requests.first { $0.method == "PUT" }?.headers["x-amz-meta-sha256"] == sha256)
        let rows = try scratch.query("SELECT status FROM remote_copies WHERE item_id = '\(id)'")
        #expect(rows == [["done"]])
    }

    @Test("remote add refuses a ca_file that is not PEM, exit 2")
    func remoteBadCAFile() throws {
        let scratch = try LibraryScratch()
        let notPEM = try scratch.file("notes.txt", text: "not a certificate")
        let result = try scratch.reel([
            "remote", "add", "private", "--endpoint", "https://127.0.0.1:9", "--bucket", "media", "--ca-file", notPEM,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("CA file \(notPEM) (remote private ca_file): not a PEM"), "\(result.stderr)")
    }
}
