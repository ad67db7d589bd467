import Crypto
import Foundation

/// A part the server stored.
struct CompletedPart: Sendable {
    var number: Int
    var size: Int64
    var etag: String
    var checksumSHA256: String
}

extension S3Client {
    /// CreateMultipartUpload (SHA-256 checksums), the parts `maxConcurrentParts` at a time, then
    /// CompleteMultipartUpload; AbortMultipartUpload if anything fails.
    func multipartUpload(
        fileAt path: String, size: Int64, sha256: String, key: String, contentType: String,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws(RemoteError) -> UploadResult {
        let partSize = max(self.partSize, (size + 9_999) / 10_000)
        let count = Int((size + partSize - 1) / partSize)
        let created = try await send(
            .POST, key: key, query: [("uploads", "")],
            headers: ["content-type": contentType, "x-amz-checksum-algorithm": "SHA256", "x-amz-meta-sha256": sha256])
        guard let xml = S3XMLElement.parse(created.body), let uploadID = xml.value("UploadId"), !uploadID.isEmpty
        else { throw .invalidResponse("CreateMultipartUpload for \(key) returned no UploadId") }
        do throws(RemoteError) {
            let parts = try await uploadParts(
                path: path, size: size, partSize: partSize, count: count, key: key, uploadID: uploadID,
                progress: progress)
            return try await complete(key: key, uploadID: uploadID, parts: parts)
        } catch {
            let client = self
            await Task { try? await client.abort(key: key, uploadID: uploadID) }.value
            throw error
        }
    }

    /// Uploads parts 1…`count`, keeping at most `maxConcurrentParts` in flight; the first failure cancels the rest.
    private func uploadParts(
        path: String, size: Int64, partSize: Int64, count: Int, key: String, uploadID: String,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws(RemoteError) -> [CompletedPart] {
        do {
            return try await withThrowingTaskGroup(of: CompletedPart.self) { group in
                var next = 1
                var parts: [CompletedPart] = []
                var sent: Int64 = 0
                while next <= min(count, maxConcurrentParts) {
                    let number = next
                    group.addTask {
                        try await self.uploadPart(
                            number, path: path, size: size, partSize: partSize, key: key, uploadID: uploadID)
                    }
                    next += 1
                }
                while let part = try await group.next() {
                    parts.append(part)
                    sent += part.size
                    progress(sent)
                    if next <= count {
                        let number = next
                        group.addTask {
                            try await self.uploadPart(
                                number, path: path, size: size, partSize: partSize, key: key, uploadID: uploadID)
                        }
                        next += 1
                    }
                }
                return parts.sorted { $0.number < $1.number }
            }
        } catch let error as RemoteError {
            throw error
        } catch {
            throw transportError(error)
        }
    }

    /// Reads part `number` into memory, hashes it, and sends it (retried by `send`).
    private func uploadPart(
        _ number: Int, path: String, size: Int64, partSize: Int64, key: String, uploadID: String
    ) async throws(RemoteError) -> CompletedPart {
        let offset = Int64(number - 1) * partSize
        let length = Int(min(partSize, size - offset))
        let data = try FileBody.read(path: path, offset: offset, count: length)
        let digest = SHA256.hash(data: data)
        let checksum = Data(digest).base64EncodedString()
        let response = try await send(
            .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
            headers: ["x-amz-checksum-sha256": checksum], body: .data(data), payloadHash: digest.hexString)
        let etag = response.header("ETag") ?? ""
        guard !etag.isEmpty else { throw .invalidResponse("part \(number) of \(key) was stored without an ETag") }
        return CompletedPart(number: number, size: Int64(length), etag: etag, checksumSHA256: checksum)
    }

    /// CompleteMultipartUpload with every part's ETag and SHA-256 checksum.
    private func complete(key: String, uploadID: String, parts: [CompletedPart]) async throws(RemoteError)
        -> UploadResult
    {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml +=
                "<Part><ChecksumSHA256>\(part.checksumSHA256)</ChecksumSHA256>"
                + "<ETag>\(S3XMLElement.escape(part.etag))</ETag><PartNumber>\(part.number)</PartNumber></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let body = Data(xml.utf8)
        let response = try await send(
            .POST, key: key, query: [("uploadId", uploadID)], headers: ["content-type": "application/xml"],
            body: .data(body), payloadHash: Self.sha256Hex(body), errorsIn200: true)
        let result = S3XMLElement.parse(response.body)
        let etag = result?.value("ETag").map(S3Response.unquoted) ?? response.etag
        let checksum = result?.value("ChecksumSHA256") ?? response.header("x-amz-checksum-sha256")
        return UploadResult(etag: etag, checksumSHA256: checksum, parts: parts.count)
    }

    /// AbortMultipartUpload: the server drops the parts stored so far.
    private func abort(key: String, uploadID: String) async throws(RemoteError) {
        _ = try await send(.DELETE, key: key, query: [("uploadId", uploadID)])
    }
}
