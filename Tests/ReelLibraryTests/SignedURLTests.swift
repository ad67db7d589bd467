import Foundation
import ReelLibrary
import Testing

/// A JWT with the given claims (unsigned: only the payload matters here).
private func jwt(_ claims: String) -> String {
    func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    return "\(encode(#"{"alg":"HS256","typ":"JWT"}"#)).\(encode(claims)).c2lnbmF0dXJlc2VjcmV0"
}

private let expiry = Date(timeIntervalSince1970: 1_795_428_000)  // 2026-11-23T10:00:00Z

@Suite("signed URLs: expiry and redaction")
struct SignedURLTests {
    @Test("a JWT query token's exp is the expiry, and the token is redacted")
    func jwtToken() {
        let token = jwt(#"{"sub":"gen-123","exp":1795428000}"#)
        let url = SignedURL("https://cdn.runway.invalid/gen/a.mp4?_jwt=\(token)&v=2")
        #expect(url.expiresAt == expiry)
        #expect(url.redacted == "https://cdn.runway.invalid/gen/a.mp4?_jwt=REDACTED&v=2")
        #expect(!url.description.contains(token))
    }

    @Test("AWS presigned: X-Amz-Date plus X-Amz-Expires; signature, credential and the rest redacted")
    func aws() {
        let url = SignedURL(
            "https://bucket.s3.amazonaws.com/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAEXAMPLE%2F20261123%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261123T090000Z"
                + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef0123456789")
        #expect(url.expiresAt == expiry)
        #expect(!url.redacted.contains("abcdef0123456789") && !url.redacted.contains("AKIAEXAMPLE"))
        // Expiry is read from the raw URL; the stored form hides every value not known to be safe.
        #expect(url.redacted.contains("X-Amz-Expires=REDACTED"))
    }

    @Test("CloudFront Expires, Google X-Goog-Date/Expires and Azure se")
    func others() {
        #expect(
            SignedURL("https://d1.cloudfront.invalid/a.mp4?Expires=1795428000&Signature=s3cr3t&Key-Pair-Id=K1")
                .expiresAt == expiry)
        #expect(
            SignedURL(
                "https://storage.googleapis.com/b/a.mp4?X-Goog-Date=20261123T093000Z&X-Goog-Expires=1800"
                    + "&X-Goog-Signature=s3cr3t"
            ).expiresAt == expiry)
        let azure = SignedURL(
            "https://acct.blob.core.windows.invalid/c/a.mp4?sv=2022-11-02&se=2026-11-23T10:00:00Z&sig=s3cr3t")
        #expect(azure.expiresAt == expiry)
        #expect(!azure.redacted.contains("s3cr3t"))
    }

    @Test("a plain URL has no expiry; a query value is kept only under a name known to be safe")
    func plain() {
        let url = SignedURL("https://example.invalid/clips/a.mp4?id=42&width=640&format=mp4&v=3")
        #expect(url.expiresAt == nil && !url.isExpired())
        #expect(url.redacted == "https://example.invalid/clips/a.mp4?id=REDACTED&width=640&format=mp4&v=3")
        #expect(SignedURL("https://example.invalid/clips/a.mp4").redacted == "https://example.invalid/clips/a.mp4")
    }

    @Test("query names no list knows (access_token, client_secret, hdnts, session_token, custom ones) are hidden")
    func unknownNames() {
        let url = SignedURL(
            "https://media.example.invalid/v/a.mp4?access_token=s1&client_secret=s2&hdnts=exp%3D1~hmac%3Ds3"
                + "&session_token=s4&my_vendor_auth=s5&lang=en&download")
        #expect(
            url.redacted
                == "https://media.example.invalid/v/a.mp4?access_token=REDACTED&client_secret=REDACTED&hdnts=REDACTED"
                + "&session_token=REDACTED&my_vendor_auth=REDACTED&lang=en&REDACTED")
        #expect(Set(["s1", "s2", "exp=1~hmac=s3", "s4", "s5", "download"]).isSubset(of: Set(url.secretValues)))
    }

    @Test("every vendor's signature, credential and policy is hidden: AWS, CloudFront, Azure, Google")
    func vendors() {
        let cases = [
            (
                "https://b.s3.amazonaws.com/a.mp4?X-Amz-Credential=AKIA%2Fx&X-Amz-Security-Token=t1&X-Amz-Signature=s1",
                "https://b.s3.amazonaws.com/a.mp4?X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED"
                    + "&X-Amz-Signature=REDACTED"
            ),
            (
                "https://d1.cloudfront.invalid/a.mp4?Policy=p1&Signature=s2&Key-Pair-Id=K3",
                "https://d1.cloudfront.invalid/a.mp4?Policy=REDACTED&Signature=REDACTED&Key-Pair-Id=REDACTED"
            ),
            (
                "https://acct.blob.core.windows.invalid/c/a.mp4?se=2026-11-23T10%3A00%3A00Z&sig=s4",
                "https://acct.blob.core.windows.invalid/c/a.mp4?se=REDACTED&sig=REDACTED"
            ),
            (
                "https://storage.googleapis.com/b/a.mp4?X-Goog-Credential=c5&X-Goog-Signature=s6",
                "https://storage.googleapis.com/b/a.mp4?X-Goog-Credential=REDACTED&X-Goog-Signature=REDACTED"
            ),
        ]
        for (raw, redacted) in cases { #expect(SignedURL(raw).redacted == redacted) }
    }

    @Test("the fragment and a user:password are hidden")
    func fragmentAndUser() {
        #expect(
            SignedURL("https://cdn.example.invalid/a.mp4?width=640#token=f1").redacted
                == "https://cdn.example.invalid/a.mp4?width=640#REDACTED")
        #expect(
            SignedURL("https://me:pw1@cdn.example.invalid/a.mp4").redacted
                == "https://REDACTED@cdn.example.invalid/a.mp4")
    }

    @Test("a signed URL nested, percent-encoded, in another parameter is redacted where it is, recursively")
    func nested() {
        let inner = "https%3A%2F%2Fcdn.example.invalid%2Fa.mp4%3Fwidth%3D640%26X-Amz-Signature%3Dn1"
        let url = SignedURL("https://app.example.invalid/go?redirect=\(inner)&v=2")
        #expect(
            url.redacted
                == "https://app.example.invalid/go?redirect=https%3A%2F%2Fcdn.example.invalid%2Fa.mp4%3Fwidth%3D640"
                + "%26X-Amz-Signature%3DREDACTED&v=2")
        #expect(url.secretValues.contains("n1"))
        // Twice nested: the login page's `next` holds the app URL, whose `redirect` holds the signed one.
        let twice = SignedURL(
            "https://login.example.invalid/?next=https%3A%2F%2Fapp.example.invalid%2Fgo%3Fredirect%3D\(inner)")
        #expect(!twice.redacted.contains("n1") && twice.redacted.contains("X-Amz-Signature"))
        #expect(twice.secretValues.contains("n1"))
    }

    @Test("expired means the expiry has passed")
    func expired() {
        let url = SignedURL("https://d1.cloudfront.invalid/a.mp4?Expires=1795428000&Signature=x")
        #expect(url.isExpired(at: expiry.addingTimeInterval(1)))
        #expect(!url.isExpired(at: expiry.addingTimeInterval(-1)))
    }
}

@Suite("redactor: params and generation details as stored")
struct RedactorTests {
    let url = SignedURL("https://cdn.example.invalid/a.mp4?sig=Zq81xYw0&width=640")

    @Test("a param is REDACTED when its name says secret, it is a JWT, or it went where the URL hides things")
    func params() {
        let params = [
            "api_token": "tok991", "scene_sig": "Zq81xYw0", "jwt_like": jwt(#"{"exp":1}"#), "auth": "a1",
            "width": "640", "campaign": "456", "keyframes": "12", "scene": "https://cdn.example.invalid/b.mp4?sig=q1",
        ]
        let redactor = Redactor(urls: [url], params: params)
        #expect(
            redactor.redact(params) == [
                "api_token": "REDACTED", "scene_sig": "REDACTED", "jwt_like": "REDACTED", "auth": "REDACTED",
                "width": "640", "campaign": "456", "keyframes": "12",
                "scene": "https://cdn.example.invalid/b.mp4?sig=REDACTED",
            ])
    }

    @Test("a generation param filled from a secret param is REDACTED; free text keeps its words, not its secrets")
    func generation() {
        let redactor = Redactor(urls: [url], params: ["api_token": "tok991", "seed": "1"])
        let generation = GenerationInfo(
            provider: "runway", prompt: "A cat; key tok991; see https://x.example.invalid/a?sig=p1",
            params: [
                "token": "tok991", "note": "made with tok991", "copy": "Zq81xYw0", "seed": "1", "session_id": "s1",
                "callback": "https://hooks.example.invalid/done?code=c1&v=2",
            ])
        let stored = redactor.redact(generation)
        #expect(
            stored.params == [
                "token": "REDACTED", "note": "REDACTED", "copy": "REDACTED", "seed": "1", "session_id": "REDACTED",
                "callback": "https://hooks.example.invalid/done?code=REDACTED&v=2",
            ])
        #expect(stored.prompt == "A cat; key REDACTED; see https://x.example.invalid/a?sig=REDACTED")
        #expect(stored.provider == "runway")
    }
}
