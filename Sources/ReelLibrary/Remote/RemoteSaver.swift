import Foundation

/// How saving one item to a remote ended.
public struct RemoteSaveResult: Sendable, Encodable {
    public enum Action: String, Sendable, Encodable {
        /// Uploaded now and confirmed by a HEAD.
        case uploaded
        /// A confirmed copy was already recorded; nothing was sent.
        case alreadyThere = "already-there"
        /// `--verify`: the recorded copy was checked with a HEAD and is right.
        case verified
    }
    public var itemID: String
    public var remote: String
    public var key: String
    public var url: String
    public var action: Action
    public var bytes: Int64
    public var parts: Int

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case remote, key, url, action, bytes, parts
    }
}

/// Why an item could not be saved to a remote. The item stays in the library, marked pending (or failed) for
/// that remote, so `reel library sync` can finish the job.
public enum RemoteSaveError: Error, Sendable, CustomStringConvertible {
    /// No credentials in the environment for the remote.
    case noCredentials(remote: String, variables: [(id: String, secret: String, token: String)])
    /// The upload (or its confirmation) failed; the item is marked pending or failed.
    case uploadFailed(itemID: String, remote: String, key: String, cause: String, status: RemoteCopy.Status)
    /// Another process is uploading the same item to the same remote right now.
    case busy(itemID: String, remote: String)
    /// The library refused (unknown item, bad key template…).
    case library(LibraryError)
    /// The remote's TLS settings cannot be used (a CA file that is missing or not PEM).
    case tls(remote: String, TLSError)
    /// The server answered the upload, but a HEAD does not show the object the item is.
    case notConfirmed(key: String, detail: String)
    /// Another item's copy on the remote (pending, done or failed) holds the key; nothing was written or sent.
    case keyTaken(remote: String, key: String, itemID: String, holder: RemoteKeyHolder)
    /// The bucket already holds another object at the key; nothing was sent.
    case keyOccupied(remote: String, key: String, itemID: String, detail: String)
    /// `--verify`: the recorded copy's key now holds another object; nothing was sent, the record is as it was.
    case copyReplaced(remote: String, key: String, itemID: String, detail: String)
    /// `--verify`: the recorded copy could not be checked (no credentials, the network…); the record is as it was.
    case verifyFailed(remote: String, key: String, itemID: String, cause: String)

    public var description: String {
        switch self {
        case .noCredentials(_, let variables):
            "no credentials in the environment (set "
                + variables.map { "\($0.id) and \($0.secret)" }.joined(separator: ", or ") + ")"
        case .uploadFailed(let itemID, let remote, let key, let cause, let status):
            "remote \(remote): \(cause); item \(itemID) is kept in the library, marked \(status.rawValue) for "
                + "\(key) (retry with reel library sync)"
        case .busy(let itemID, let remote):
            "item \(itemID) is being uploaded to \(remote) by another process; try again when it is done"
        case .library(let error): error.description
        case .tls(let remote, let error): "remote \(remote): \(error)"
        case .notConfirmed(let key, let detail): "\(key) is not confirmed after the upload: \(detail)"
        case .keyTaken(let remote, let key, let itemID, let holder):
            "remote \(remote): key \(key) is already recorded for item \(holder.itemID) (\(holder.status.rawValue)); "
                + "item \(itemID) is not sent there (\(Self.otherKey))"
        case .keyOccupied(let remote, let key, let itemID, let detail):
            "remote \(remote): \(key) already holds another object (\(detail)); item \(itemID) is not sent there, "
                + "nothing is overwritten (\(Self.otherKey))"
        case .copyReplaced(let remote, let key, let itemID, let detail):
            "remote \(remote): \(key) no longer holds item \(itemID) but another object (\(detail)); nothing was "
                + "sent and the record is left as it was"
        case .verifyFailed(let remote, let key, let itemID, let cause):
            "remote \(remote): cannot check \(key) (\(cause)); item \(itemID) stays recorded as done there"
        }
    }

    private static let otherKey = "choose another key: put ${id} in it, or save with --on-conflict unique"

    /// Whether the key was refused because something else holds it (``KeyConflictPolicy/unique`` then tries the
    /// item's unique key).
    var isKeyConflict: Bool {
        switch self {
        case .keyTaken, .keyOccupied: true
        case .noCredentials, .uploadFailed, .busy, .library, .tls, .notConfirmed, .copyReplaced, .verifyFailed:
            false
        }
    }
}

/// Saves library items to one remote: local first (the item is already safe in the library), then the claim of the
/// key (recorded as pending, refused when another item's copy holds it), a HEAD that refuses a key holding another
/// object, the upload, a HEAD that confirms the size (and checksum, where the server reports it), then the record.
/// Nothing in the bucket is ever overwritten but the item's own copy.
public struct RemoteSaver: Sendable {
    public let library: Library
    public let name: String
    public let config: RemoteConfig
    /// The client, or why there is none (no credentials): then every save records its copy as failed, so a later
    /// `sync` with credentials finishes the job.
    private let connection: Result<S3Client, RemoteSaveError>

    /// The saver for the remote `name` of `library`'s config, with credentials from `environment`.
    public init(
        library: Library, remote name: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RemoteSaveError) {
        let location: S3Location
        do {
            config = try library.remote(named: name)
            location = try config.location()
        } catch {
            throw .library(error)
        }
        self.library = library
        self.name = name
        let variables = RemoteConfig.credentialVariables(for: name)
        guard
            let found = variables.first(where: { environment[$0.id]?.isEmpty == false && environment[$0.secret] != nil }
            ),
            let id = environment[found.id], let secret = environment[found.secret]
        else {
            connection = .failure(.noCredentials(remote: name, variables: variables))
            return
        }
        let credentials = S3Credentials(
            accessKeyID: id, secretAccessKey: secret,
            sessionToken: environment[found.token].flatMap { $0.isEmpty ? nil : $0 })
        let trust = TrustRoots.from(environment: environment, caFile: config.caFile, source: "remote \(name) ca_file")
        do throws(TLSError) {
            let client = try S3Client.httpClient(trusting: trust)
            connection = .success(S3Client(location: location, credentials: credentials, client: client))
        } catch {
            throw .tls(remote: name, error)
        }
    }

    /// The S3 client, or the reason there is none.
    private func client() throws(RemoteSaveError) -> S3Client { try connection.get() }

    /// Saves `reference` (an item id) to this remote under `keyTemplate` (else the key recorded for it, else the
    /// remote's template, else `${id}.${ext}`); `stage` fills `${stage}`. A key another item's copy holds, or where
    /// the bucket holds another object, is refused, or with `onConflict` `.unique` replaced by the item's unique key.
    /// A copy already confirmed is not sent again; with `verify` it is checked with a HEAD and sent again only when
    /// the server says it is missing (a HEAD that fails leaves it as it was).
    public func save(
        _ reference: String, keyTemplate: String? = nil, values: [String: String] = [:], stage: String? = nil,
        onConflict: KeyConflictPolicy = .fail, verify: Bool = false, waitForLock: Bool = true,
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(RemoteSaveError) -> RemoteSaveResult {
        let item: Item
        let lock: RemoteCopyLock
        do {
            item = try library.item(reference)
            lock = try await takeLock(item.id, wait: waitForLock)
        } catch let error as RemoteSaveError {
            throw error
        } catch {
            throw .library(Library.libraryError(error, catalog: library.catalogPath))
        }
        defer { withExtendedLifetime(lock) {} }
        let recorded: RemoteCopy?
        do {
            recorded = try library.remoteCopy(of: item.id, on: name)
        } catch {
            throw .library(error)
        }
        if let recorded, recorded.status == .done {
            if !verify { return result(item, key: recorded.key, .alreadyThere, parts: 0) }
            if try await isThere(recorded, item) { return result(item, key: recorded.key, .verified, parts: 0) }
        }
        var key: String
        do {
            if let keyTemplate {
                key = try KeyTemplate(keyTemplate).expand(for: item, values: values, stage: stage)
            } else if let recordedKey = recorded?.key {
                key = recordedKey
            } else {
                key = try KeyTemplate(config.key ?? RemoteConfig.defaultKeyTemplate).expand(
                    for: item, values: values, stage: stage)
            }
        } catch {
            throw .library(error)
        }
        do {
            try await claim(key, for: item, recorded: recorded)
        } catch let error where onConflict == .unique && error.isKeyConflict {
            key = KeyTemplate.uniqueKey(key, itemID: item.id)
            try await claim(key, for: item, recorded: recorded)
        }
        return try await upload(item, key: key, progress: progress)
    }

    /// Retries every copy owed to this remote. Copies another process is uploading are left to it.
    public func sync() async -> [Result<RemoteSaveResult, RemoteSaveError>] {
        let pending: [PendingUpload]
        do {
            pending = try library.pendingUploads(remote: name)
        } catch {
            return [.failure(.library(error))]
        }
        var results: [Result<RemoteSaveResult, RemoteSaveError>] = []
        for upload in pending {
            do {
                results.append(.success(try await save(upload.item.id, waitForLock: false)))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// `--verify`: whether the recorded copy is in the bucket (true) or positively missing (false: send it again).
    /// A HEAD that fails (no credentials, the network) or finds another object throws, leaving the record as it was.
    private func isThere(_ recorded: RemoteCopy, _ item: Item) async throws(RemoteSaveError) -> Bool {
        let head: ObjectInfo?
        do {
            head = try await client().head(key: recorded.key)
        } catch {
            throw .verifyFailed(remote: name, key: recorded.key, itemID: item.id, cause: "\(error)")
        }
        switch Occupant(head, of: item, recordedHere: true) {
        case .item: return true
        case .nothing: return false
        case .other(let detail):
            throw .copyReplaced(remote: name, key: recorded.key, itemID: item.id, detail: detail)
        }
    }

    /// Claims `key` for `item` (recorded as pending), then checks that the bucket holds nothing else there (without
    /// credentials, the `sync` that has them checks it). When the bucket refuses, the item's copy is as it was
    /// (`recorded`), or marked failed when it was already recorded at this key.
    private func claim(_ key: String, for item: Item, recorded: RemoteCopy?) async throws(RemoteSaveError) {
        let holder: RemoteKeyHolder?
        do {
            holder = try library.claimUpload(of: item.id, to: name, key: key)
        } catch {
            throw .library(error)
        }
        if let holder { throw .keyTaken(remote: name, key: key, itemID: item.id, holder: holder) }
        guard case .success(let client) = connection else { return }
        let head: ObjectInfo?
        do {
            head = try await client.head(key: key)
        } catch {
            throw failed(item, key: key, error.description, retryable: error.isRetryable)
        }
        guard case .other(let detail) = Occupant(head, of: item, recordedHere: recorded?.key == key) else { return }
        let occupied = RemoteSaveError.keyOccupied(remote: name, key: key, itemID: item.id, detail: detail)
        do {
            if recorded?.key == key {
                try library.markUpload(of: item.id, to: name, key: key, status: .failed, error: occupied.description)
            } else {
                try library.releaseUpload(of: item.id, to: name, restoring: recorded)
            }
        } catch {
            throw .library(error)
        }
        throw occupied
    }

    /// Uploads `item` to `key` (claimed), confirms it with a HEAD and records it.
    private func upload(_ item: Item, key: String, progress: @escaping @Sendable (Int64) -> Void)
        async throws(RemoteSaveError) -> RemoteSaveResult
    {
        let client: S3Client
        do {
            client = try self.client()
        } catch {
            throw failed(item, key: key, error.description, retryable: false)
        }
        let uploaded: UploadResult
        let head: ObjectInfo?
        do {
            uploaded = try await client.upload(
                fileAt: item.path, size: item.size, sha256: item.sha256, key: key,
                contentType: Library.mimeType(forExtension: item.ext), progress: progress)
            head = try await client.head(key: key)
        } catch {
            throw failed(item, key: key, error.description, retryable: error.isRetryable)
        }
        switch Occupant(head, of: item, recordedHere: true) {
        case .item: break
        case .nothing:
            throw failed(
                item, key: key, RemoteSaveError.notConfirmed(key: key, detail: "HEAD finds no object").description,
                retryable: true)
        case .other(let detail):
            throw failed(
                item, key: key, RemoteSaveError.notConfirmed(key: key, detail: detail).description, retryable: true)
        }
        do {
            _ = try library.recordUpload(
                of: item.id, to: name, key: key, url: config.url(forKey: key), etag: head?.etag,
                checksum: head?.checksumSHA256 ?? uploaded.checksumSHA256)
        } catch {
            throw .library(error)
        }
        return result(item, key: key, .uploaded, parts: uploaded.parts)
    }

    /// Records that the upload of `item` to `key` failed because of `cause` (pending when trying again later may
    /// work, else failed) and returns the error to throw.
    private func failed(_ item: Item, key: String, _ cause: String, retryable: Bool) -> RemoteSaveError {
        let status: RemoteCopy.Status = retryable ? .pending : .failed
        try? library.markUpload(of: item.id, to: name, key: key, status: status, error: cause)
        return .uploadFailed(itemID: item.id, remote: name, key: key, cause: cause, status: status)
    }

    private func result(_ item: Item, key: String, _ action: RemoteSaveResult.Action, parts: Int) -> RemoteSaveResult {
        RemoteSaveResult(
            itemID: item.id, remote: name, key: key, url: config.url(forKey: key), action: action, bytes: item.size,
            parts: parts)
    }

    private func takeLock(_ itemID: String, wait: Bool) async throws -> RemoteCopyLock {
        while true {
            if let lock = try library.lockUpload(of: itemID, to: name) { return lock }
            guard wait else { throw RemoteSaveError.busy(itemID: itemID, remote: name) }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// What a HEAD found at a key, for one item.
private enum Occupant {
    /// No object.
    case nothing
    /// The item's bytes: the same size, and the same SHA-256 wherever the server reports one (the stored metadata,
    /// or a single-part checksum).
    case item
    /// Another object, and how it differs.
    case other(String)

    /// `recordedHere`: a copy of the item is recorded at this key, so an object of its size whose SHA-256 the
    /// server does not report is taken as the item's; otherwise it is another object.
    init(_ head: ObjectInfo?, of item: Item, recordedHere: Bool) {
        guard let head else {
            self = .nothing
            return
        }
        if head.size != item.size {
            self = .other("\(head.size) bytes, not \(item.size)")
            return
        }
        var hashed = false
        if let sha256 = head.sha256?.lowercased() {
            guard sha256 == item.sha256 else {
                self = .other("SHA-256 \(sha256), not \(item.sha256)")
                return
            }
            hashed = true
        }
        if let checksum = head.checksumSHA256, !checksum.contains("-"), let digest = S3Client.bytes(ofHex: item.sha256)
        {
            guard checksum == Data(digest).base64EncodedString() else {
                self = .other("checksum \(checksum), not the item's SHA-256")
                return
            }
            hashed = true
        }
        self = hashed || recordedHere ? .item : .other("\(head.size) bytes whose SHA-256 the server does not report")
    }
}

/// One step of `reel remote test`.
public struct RemoteCheck: Sendable, Encodable {
    public var step: String
    public var ok: Bool
    public var seconds: Double
    public var detail: String
}

extension RemoteSaver {
    /// Puts, heads, gets and deletes a small probe object under `.reel-probe/`, reporting each step; stops at the
    /// first failure (after trying to delete what it put).
    public func check() async -> [RemoteCheck] {
        let key = ".reel-probe/\(UUID().uuidString.lowercased()).txt"
        let body = Data("reel remote test \(Date())\n".utf8)
        var checks: [RemoteCheck] = []
        func step(_ name: String, _ work: () async throws -> String) async -> Bool {
            let clock = ContinuousClock()
            let start = clock.now
            var check = RemoteCheck(step: name, ok: true, seconds: 0, detail: "")
            do {
                check.detail = try await work()
            } catch {
                check.ok = false
                check.detail = "\(error)"
            }
            let elapsed = clock.now - start
            check.seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
            checks.append(check)
            return check.ok
        }
        let put = await step("put") {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("reel-probe-\(UUID().uuidString)")
            try body.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try await client().upload(
                fileAt: file.path, size: Int64(body.count), sha256: S3Client.sha256Hex(body), key: key,
                contentType: "text/plain")
            return "\(body.count) bytes to \(key), etag \(result.etag)"
        }
        guard put else { return checks }
        let head = await step("head") {
            guard let info = try await client().head(key: key) else {
                throw RemoteSaveError.notConfirmed(key: key, detail: "HEAD finds no object right after the put")
            }
            guard info.size == Int64(body.count) else {
                throw RemoteSaveError.notConfirmed(key: key, detail: "size \(info.size), expected \(body.count)")
            }
            return "\(info.size) bytes"
        }
        if head {
            _ = await step("get") {
                let read = try await client().get(key: key)
                guard read == body else {
                    throw RemoteSaveError.notConfirmed(key: key, detail: "the bytes read back differ")
                }
                return "\(read.count) bytes, same as sent"
            }
        }
        _ = await step("delete") {
            try await client().delete(key: key)
            return "removed \(key)"
        }
        return checks
    }
}
