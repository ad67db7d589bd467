/// The keys that sign requests to an S3-compatible remote. Printing them never shows the secret or the session token.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key id (public: it names the key, it is not the secret).
    public var accessKeyID: String
    /// The secret access key: used only to derive signing keys, never printed, logged or sent.
    public var secretAccessKey: String
    /// A session token for temporary credentials (sent as `x-amz-security-token`), if any.
    public var sessionToken: String?

    /// Credentials from an access key id, its secret and an optional session token.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The access key id with the secret (and any session token) shown as `REDACTED`.
    public var description: String {
        let token = sessionToken == nil ? "" : ", session token REDACTED"
        return "access key \(accessKeyID), secret REDACTED\(token)"
    }
}
