import Crypto
import Foundation
import ReelLibrary
import Testing

/// AWS's published Signature V4 examples for S3 (access key AKIAIOSFODNN7EXAMPLE, 24 May 2013, us-east-1, bucket
/// examplebucket), checked step by step: canonical request, string to sign, signature.
@Suite("Signature V4 matches AWS's published examples")
struct SigV4Tests {
    let signer = SigV4Signer(
        credentials: S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    /// 20130524T000000Z.
    let date = Date(timeIntervalSince1970: 1_369_353_600)
    let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    func url(_ text: String) throws -> URL {
        try #require(URL(string: "https://examplebucket.s3.amazonaws.com" + text))
    }

    @Test("GET /test.txt with a Range header")
    func getObject() throws {
        let signed = signer.sign(
            method: "GET", url: try url("/test.txt"), headers: ["Range": "bytes=0-9"], payloadHash: emptyHash,
            date: date)
        #expect(
            signed.canonicalRequest == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:\(emptyHash)
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                \(emptyHash)
                """)
        #expect(
            signed.stringToSign == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
                """)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.headers["x-amz-date"] == "20130524T000000Z")
        #expect(signed.headers["x-amz-content-sha256"] == emptyHash)
        #expect(signed.headers["x-amz-security-token"] == nil)
    }

    @Test("PUT \"test$file.text\" with a storage class: the $ is encoded in the canonical path")
    func putObject() throws {
        let body = Data("Welcome to Amazon S3.".utf8)
        let payloadHash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signed = signer.sign(
            method: "PUT", url: try url("/test$file.text"),
            headers: ["Date": "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY"],
            payloadHash: payloadHash, date: date)
        #expect(
            signed.canonicalRequest == """
                PUT
                /test%24file.text

                date:Fri, 24 May 2013 00:00:00 GMT
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:\(payloadHash)
                x-amz-date:20130524T000000Z
                x-amz-storage-class:REDUCED_REDUNDANCY

                date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
                \(payloadHash)
                """)
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("GET ?lifecycle: a parameter without a value is signed as lifecycle=")
    func getLifecycle() throws {
        let signed = signer.sign(method: "GET", url: try url("/?lifecycle"), payloadHash: emptyHash, date: date)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "lifecycle=")
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test("GET ?max-keys=2&prefix=J: parameters are sorted and encoded")
    func listObjects() throws {
        let signed = signer.sign(
            method: "GET", url: try url("/?prefix=J&max-keys=2"), payloadHash: emptyHash, date: date)
        #expect(
            signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "max-keys=2&prefix=J"
        )
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test("presigned GET /test.txt valid for 86400 s")
    func presignedURL() throws {
        let presigned = try signer.presignedURL(method: "GET", url: try url("/test.txt"), expires: 86_400, date: date)
        #expect(
            presigned.absoluteString
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test("a presigned URL refuses an expiry S3 does not allow")
    func presignedExpiryRange() throws {
        #expect(throws: RemoteError.self) { try signer.presignedURL(url: try url("/a"), expires: 0, date: date) }
        #expect(throws: RemoteError.self) { try signer.presignedURL(url: try url("/a"), expires: 604_801, date: date) }
    }

    @Test("the derived signing key of AWS's example (20120215, us-east-1, iam)")
    func signingKey() {
        let key = SigV4Signer.signingKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", day: "20120215", region: "us-east-1", service: "iam")
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        #expect(hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test("keys with spaces, +, ~, unicode, &, =, ( and ) are encoded segment by segment, / kept")
    func oddKeyEncoding() throws {
        let location = S3Location(
            endpoint: try #require(URL(string: "http://127.0.0.1:9000")), bucket: "b", region: "us-east-1")
        let client = S3Client(location: location, credentials: signer.credentials)
        let presigned = try client.presignedURL(key: "dir/a b+c~é (1)&=.mp4", expires: 60, date: date)
        #expect(presigned.path(percentEncoded: true) == "/b/dir/a%20b%2Bc~%C3%A9%20%281%29%26%3D.mp4")
        let signed = signer.sign(method: "GET", url: presigned, payloadHash: emptyHash, date: date)
        #expect(
            signed.canonicalRequest.split(separator: "\n")[1] == "/b/dir/a%20b%2Bc~%C3%A9%20%281%29%26%3D.mp4",
            "an already encoded path is not encoded twice")
    }

    @Test("a session token is signed and sent as x-amz-security-token")
    func sessionToken() throws {
        var credentials = signer.credentials
        credentials.sessionToken = "TOKEN/with+chars"
        let signed = SigV4Signer(credentials: credentials, region: "us-east-1")
            .sign(method: "GET", url: try url("/test.txt"), payloadHash: emptyHash, date: date)
        #expect(signed.headers["x-amz-security-token"] == "TOKEN/with+chars")
        #expect(signed.canonicalRequest.contains("\nx-amz-security-token:TOKEN/with+chars\n"))
        #expect(signed.headers["Authorization"]?.contains("x-amz-date;x-amz-security-token") == true)
    }

    @Test("credentials print without the secret or the session token")
    func credentialsDescription() {
        let credentials = S3Credentials(accessKeyID: "AKID", secretAccessKey: "SECRETKEY", sessionToken: "SESSION")
        let printed = "\(credentials) \(String(describing: credentials)) \(String(reflecting: credentials))"
        #expect(printed.contains("AKID"))
        #expect(!printed.contains("SECRETKEY"))
        #expect(!printed.contains("SESSION"))
    }
}
