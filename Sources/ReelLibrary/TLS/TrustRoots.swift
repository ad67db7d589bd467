import Foundation
import NIOSSL

/// The certificate authorities a TLS connection (a fetch, a remote) trusts: the system's roots, plus the
/// certificates of PEM bundles for private CAs (a MinIO, an internal CDN). The bundles are added to the system's
/// roots, never replace them, and certificate checks are never turned off.
///
/// Bundles come from `SSL_CERT_FILE` and `REEL_CA_FILE` (environment) and from an explicit file (`--ca-file`, a
/// remote's `ca_file`).
public struct TrustRoots: Sendable, Equatable, Hashable {
    /// One PEM bundle to trust, and where it was named (`--ca-file`, `SSL_CERT_FILE`…), for messages.
    public struct Bundle: Sendable, Equatable, Hashable {
        public var path: String
        public var source: String

        public init(path: String, source: String) {
            self.path = path
            self.source = source
        }
    }

    /// The bundles added to the system's roots, in the order given.
    public var bundles: [Bundle]

    /// The system's roots and `bundles`.
    public init(bundles: [Bundle] = []) {
        self.bundles = bundles
    }

    /// The environment variables naming a PEM bundle to add to the system's roots.
    public static let environmentVariables = ["SSL_CERT_FILE", "REEL_CA_FILE"]

    /// The bundles the environment names, then `caFile` (named by `source`) when given.
    public static func from(
        environment: [String: String], caFile: String? = nil, source: String = "--ca-file"
    ) -> TrustRoots {
        var bundles = environmentVariables.compactMap { name in
            environment[name].flatMap { $0.isEmpty ? nil : Bundle(path: $0, source: name) }
        }
        if let caFile { bundles.append(Bundle(path: caFile, source: source)) }
        return TrustRoots(bundles: bundles)
    }

    /// Checks that every bundle can be read and holds at least one PEM certificate.
    public func check() throws(TLSError) {
        _ = try certificates()
    }

    /// Every bundle's certificates, read and parsed.
    func certificates() throws(TLSError) -> [NIOSSLCertificate] {
        var all: [NIOSSLCertificate] = []
        for bundle in bundles {
            guard FileManager.default.fileExists(atPath: bundle.path) else {
                throw .badCAFile(path: bundle.path, source: bundle.source, reason: "no such file")
            }
            guard FileManager.default.isReadableFile(atPath: bundle.path) else {
                throw .badCAFile(path: bundle.path, source: bundle.source, reason: "permission denied")
            }
            let certificates = try? NIOSSLCertificate.fromPEMFile(bundle.path)
            guard let certificates, !certificates.isEmpty else {
                throw .badCAFile(path: bundle.path, source: bundle.source, reason: "not a PEM certificate bundle")
            }
            all += certificates
        }
        return all
    }

    /// The client TLS settings: the system's roots plus the bundles' certificates, full verification.
    public func clientConfiguration() throws(TLSError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        let certificates = try certificates()
        if !certificates.isEmpty { configuration.additionalTrustRoots = [.certificates(certificates)] }
        return configuration
    }
}

/// Why a TLS connection or its settings failed, in one line.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CA bundle named by `source` cannot be used.
    case badCAFile(path: String, source: String, reason: String)
    /// The server's certificate does not chain to a trusted root (self-signed, a private CA, expired…).
    case untrusted(host: String)
    /// The server's certificate is trusted but names another host.
    case wrongHost(host: String)
    /// The TLS handshake failed for another reason.
    case handshake(host: String, reason: String)

    public var description: String {
        switch self {
        case .badCAFile(let path, let source, let reason): "CA file \(path) (\(source)): \(reason)"
        case .untrusted(let host):
            "TLS certificate of \(host) is not trusted (a private or self-signed CA? hint: SSL_CERT_FILE or --ca-file "
                + "with its PEM)"
        case .wrongHost(let host): "TLS certificate of \(host) is for another host name"
        case .handshake(let host, let reason): "TLS handshake with \(host) failed (\(reason))"
        }
    }

    /// The TLS failure `error` is, in plain words; nil when it is not one.
    public init?(_ error: any Error, host: String) {
        switch error {
        case let error as TLSError: self = error
        case let error as NIOSSLExtraError where error == .failedToValidateHostname: self = .wrongHost(host: host)
        case let error as NIOSSLError:
            guard case .handshakeFailed(let cause) = error else {
                self = .handshake(host: host, reason: Self.reason(String(describing: error)))
                return
            }
            let text = String(describing: cause)
            self =
                text.contains("CERTIFICATE_VERIFY_FAILED")
                ? .untrusted(host: host) : .handshake(host: host, reason: Self.reason(text))
        default: return nil
        }
    }

    /// BoringSSL's reason names (`WRONG_VERSION_NUMBER`), without codes and source paths.
    private static func reason(_ text: String) -> String {
        let names = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).filter {
            $0.count > 3 && $0.contains("_") && $0 == $0.uppercased()
        }
        return names.isEmpty ? "handshake error" : Set(names).sorted().joined(separator: ", ")
    }
}
