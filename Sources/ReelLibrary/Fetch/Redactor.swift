import Foundation

/// Keeps secrets out of the params and generation details Reel stores and prints, knowing the fetch URLs and the
/// params they may have been filled from.
///
/// A param (a pipeline param, a generation param, a `--param`) is stored as `REDACTED` when
/// - its name says it is a secret (it holds `token`, `secret`, `passw`, `signature`, `credential`, `apikey`, `jwt`,
///   `cookie`, `bearer` or `hdnts`, or a word `key`, `sig`, `auth`, `authorization`, `session`, `policy`, `hmac`,
///   `private`, `pass` or `pwd`: `api_key`, `accessToken`, `X-Session-Id`),
/// - its value is a JWT,
/// - its value went where a fetch URL's redacted form hides things (a query value not known to be safe, the
///   fragment, user:password), or
/// - its value carries a secret: the value of a param that is redacted, or a piece a fetch URL's redacted form
///   hides (so a generation param filled from a secret param is redacted too).
///
/// Any other value is kept, with every URL in it in its redacted form (see ``SignedURL/redacted``). Free text (a
/// prompt) keeps its words: its URLs are redacted and any secret in it becomes `REDACTED`. Secrets shorter than
/// ``minimumLength`` characters are recognised only as a whole value, so `seed=1` is not lost to a signature
/// that happens to contain a 1.
public struct Redactor: Sendable {
    /// The shortest secret looked for inside longer text.
    public static let minimumLength = 4

    /// What the fetch URLs' redacted forms hide.
    private let hidden: Set<String>
    /// The values of params that are secrets.
    private let secrets: Set<String>

    /// A redactor for params that may have gone into `urls`.
    public init(urls: [SignedURL] = [], params: [String: String] = [:]) {
        let hidden = Set(urls.flatMap(\.secretValues))
        self.hidden = hidden
        secrets = Set(
            params.compactMap { name, value in
                Self.isSecret(name: name, value: value, hidden: hidden) && !value.isEmpty ? value : nil
            })
    }

    private init(hidden: Set<String>, secrets: Set<String>) {
        self.hidden = hidden
        self.secrets = secrets
    }

    /// This redactor, also hiding what `url`'s redacted form hides.
    public func including(_ url: SignedURL) -> Redactor {
        Redactor(hidden: hidden.union(url.secretValues), secrets: secrets)
    }

    /// Params as they may be stored.
    public func redact(_ params: [String: String]) -> [String: String] {
        params.reduce(into: [:]) { stored, param in stored[param.key] = redact(param.value, named: param.key) }
    }

    /// Generation details as they may be stored: params redacted as params are, URLs and secrets out of the prompt.
    public func redact(_ generation: GenerationInfo) -> GenerationInfo {
        var stored = generation
        stored.params = redact(generation.params)
        stored.prompt = generation.prompt.map(redactingText)
        return stored
    }

    /// One param's value as it may be stored.
    public func redact(_ value: String, named name: String) -> String {
        if Self.isSecret(name: name, value: value, hidden: hidden) { return "REDACTED" }
        let text = Self.redactingURLs(in: value)
        return carriesSecret(text) ? "REDACTED" : text
    }

    /// Free text as it may be stored: every URL redacted, every secret in it replaced by `REDACTED`.
    public func redactingText(_ text: String) -> String {
        var result = Self.redactingURLs(in: text)
        if secrets.union(hidden).contains(result) { return "REDACTED" }
        for secret in secrets.union(hidden) where secret.count >= Self.minimumLength {
            result = result.replacingOccurrences(of: secret, with: "REDACTED")
        }
        return result
    }

    /// Every http(s) URL in `text` in its redacted form.
    public static func redactingURLs(in text: String) -> String {
        guard text.contains("://"), let expression = try? NSRegularExpression(pattern: #"https?://[^\s"'<>]+"#) else {
            return text
        }
        let result = NSMutableString(string: text)
        let source = text as NSString
        for match in expression.matches(in: text, range: NSRange(location: 0, length: source.length)).reversed() {
            result.replaceCharacters(in: match.range, with: SignedURL(source.substring(with: match.range)).redacted)
        }
        return result as String
    }

    /// Whether a param's name says it holds a secret.
    public static func isSecretName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        let parts = [
            "token", "secret", "passw", "signature", "credential", "apikey", "jwt", "cookie", "bearer", "hdnts",
        ]
        if parts.contains(where: lowered.contains) { return true }
        let words: Set<String> = [
            "key", "sig", "auth", "authorization", "session", "policy", "hmac", "private", "pass", "pwd",
        ]
        return !words.isDisjoint(with: Self.words(of: name))
    }

    /// `api_key` → api, key; `accessToken` → access, token; `X-Session-Id` → x, session, id.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            if !character.isLetter && !character.isNumber {
                words.append(current)
                current = ""
            } else {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                    words.append(current)
                    current = ""
                }
                current.append(character)
            }
            previous = character
        }
        words.append(current)
        return words.filter { !$0.isEmpty }.map { $0.lowercased() }
    }

    /// A secret by name, a JWT, or a value that went where a fetch URL's redacted form hides things.
    private static func isSecret(name: String, value: String, hidden: Set<String>) -> Bool {
        if isSecretName(name) || JWT.looksLikeJWT(value) || hidden.contains(value) { return true }
        return value.count >= minimumLength && hidden.contains { $0.contains(value) }
    }

    /// Whether already URL-redacted text still holds a secret param's value or a piece a fetch URL hides.
    private func carriesSecret(_ text: String) -> Bool {
        if Self.isSecret(name: "", value: text, hidden: hidden) { return true }
        return secrets.union(hidden).contains { $0 == text || ($0.count >= Self.minimumLength && text.contains($0)) }
    }
}
