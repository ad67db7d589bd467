import Foundation
import Testing

@testable import ReelLibrary

/// S3 error answers (AWS's own wording and shapes) turned into plain words, without the XML or anything secret.
@Suite("S3 error answers in plain words")
struct S3ErrorTests {
    let client = S3Client(
        location: S3Location(endpoint: URL(fileURLWithPath: "/"), bucket: "media"),
        credentials: S3Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET"))

    func error(_ status: Int, _ xml: String, key: String? = "a.mp4") -> RemoteError {
        client.serverError(status: status, body: Data(xml.utf8), key: key)
    }

    @Test("SignatureDoesNotMatch says to check the secret, and drops AWS's StringToSign and CanonicalRequest")
    func signatureMismatch() {
        let answer = error(
            403,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match \
            the signature you provided.</Message><AWSAccessKeyId>AKID</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256 \
            20130524T000000Z</StringToSign><CanonicalRequest>GET /a.mp4</CanonicalRequest></Error>
            """)
        #expect(answer == .signatureMismatch(code: "SignatureDoesNotMatch"))
        #expect(!answer.description.contains("<"))
        #expect(!answer.description.contains("AWS4-HMAC-SHA256"))
    }

    @Test(
        "codes map to their kinds",
        arguments: [
            ("InvalidAccessKeyId", RemoteError.accessDenied(code: "InvalidAccessKeyId")),
            ("AccessDenied", .accessDenied(code: "AccessDenied")),
            ("RequestTimeTooSkewed", .clockSkew(code: "RequestTimeTooSkewed")),
            ("NoSuchBucket", .noSuchBucket(bucket: "media", code: "NoSuchBucket")),
            ("NoSuchKey", .noSuchKey(key: "a.mp4")),
            ("BadDigest", .checksumMismatch(code: "BadDigest")),
            ("XAmzContentSHA256Mismatch", .checksumMismatch(code: "XAmzContentSHA256Mismatch")),
            ("SlowDown", .throttled(code: "SlowDown")),
        ])
    func codes(code: String, expected: RemoteError) {
        #expect(error(400, "<Error><Code>\(code)</Code><Message>m</Message></Error>") == expected)
    }

    @Test("an unknown code keeps the server's message on one line, with the code and status")
    func unknownCode() {
        let answer = error(
            409,
            "<Error>\n  <Code>BucketNotEmpty</Code>\n  <Message>The bucket you tried\nto delete is not empty &amp; "
                + "stays</Message>\n</Error>")
        #expect(
            answer.description == "The bucket you tried to delete is not empty & stays (BucketNotEmpty, HTTP 409)")
    }

    @Test("answers without a body (HEAD) are read from the status")
    func bodyless() {
        #expect(error(403, "") == .accessDenied(code: "HTTP 403"))
        #expect(error(404, "") == .noSuchKey(key: "a.mp4"))
        #expect(error(404, "", key: nil) == .noSuchBucket(bucket: "media", code: "HTTP 404"))
        #expect(error(503, "") == .throttled(code: "HTTP 503"))
        #expect(error(500, "<html>proxy error</html>").description == "server error (HTTP 500)")
    }

    @Test("5xx, throttling and connection trouble are retried; auth and checksum errors are not")
    func retryable() {
        #expect(error(500, "<Error><Code>InternalError</Code></Error>").isRetryable)
        #expect(error(503, "<Error><Code>SlowDown</Code></Error>").isRetryable)
        #expect(RemoteError.cannotConnect(endpoint: "http://x", reason: "connection refused").isRetryable)
        #expect(!error(403, "<Error><Code>InvalidAccessKeyId</Code></Error>").isRetryable)
        #expect(!error(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>").isRetryable)
        #expect(!error(400, "<Error><Code>BadDigest</Code></Error>").isRetryable)
        #expect(!error(400, "<Error><Code>InvalidArgument</Code></Error>").isRetryable)
    }

    @Test("the XML reader handles namespaces, entities, CDATA, comments and self-closing elements")
    func xml() throws {
        let root = try #require(
            S3XMLElement.parse(
                Data(
                    """
                    <?xml version="1.0"?><!-- listing --><s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/">
                    <s3:Contents><Key>a &amp; b &#233;&#x20;&lt;c&gt;</Key><Size>3</Size></s3:Contents>
                    <Contents><Key><![CDATA[x<y]]></Key><Empty/></Contents>
                    </s3:ListBucketResult>
                    """.utf8)))
        #expect(root.name == "ListBucketResult")
        #expect(root.children("Contents").map { $0.value("Key") } == ["a & b é <c>", "x<y"])
        #expect(root.children("Contents").last?.value("Empty") == "")
        #expect(S3XMLElement.parse(Data("<Error><Code>x</Code>".utf8)) == nil)
    }
}
