import Foundation

/// A self-signed TLS certificate for 127.0.0.1 and localhost, made with the `openssl` tool: the server's
/// certificate and its own CA at once (trusting `certificatePath` trusts the server).
public struct TestCertificate: Sendable {
    /// The certificate, PEM.
    public let certificatePath: String
    /// Its private key, PEM.
    public let keyPath: String

    /// A new key pair and certificate (P-256, valid two days) in a fresh scratch folder.
    public static func selfSigned() throws -> TestCertificate {
        let folder = try Fixtures.scratchDirectory()
        let certificate = folder.appendingPathComponent("server.pem").path
        let key = folder.appendingPathComponent("server.key").path
        let result = try Shell.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", certificate, "-days", "2", "-subj", "/CN=Reel test CA",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        guard result.status == 0 else {
            throw ToolFailure(tool: "openssl", arguments: ["req", "-x509"], stderr: result.stderr)
        }
        return TestCertificate(certificatePath: certificate, keyPath: key)
    }
}
