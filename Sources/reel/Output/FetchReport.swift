import Foundation
import ReelLibrary
import ReelPipeline

/// `reel fetch --json`: the library item with its `status` (or the written file) plus how the download went.
struct FetchReport: Encodable {
    var item: Annotated<Item, String>?
    var path: String
    var sha256: String
    var size: Int64
    var warnings: [String]
    var download: DownloadResult?

    init(ingest: IngestResult, outcome: MediaFetch.Outcome) {
        self.init(path: outcome.path, outcome: outcome)
        item = ingest.imported
    }

    init(path: String, outcome: MediaFetch.Outcome) {
        self.path = path
        sha256 = outcome.sha256
        size = outcome.size
        warnings = outcome.warnings
        download = outcome.download
    }

    enum CodingKeys: String, CodingKey {
        case path, sha256, size, warnings, download
    }

    enum DownloadKeys: String, CodingKey {
        case url, attempts, resumes, restarts
        case bytesTransferred = "bytes_transferred"
        case contentType = "content_type"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let item {
            try item.encode(to: encoder)
        } else {
            try container.encode(path, forKey: .path)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(size, forKey: .size)
        }
        try container.encode(warnings, forKey: .warnings)
        guard let download else { return try container.encodeNil(forKey: .download) }
        var nested = container.nestedContainer(keyedBy: DownloadKeys.self, forKey: .download)
        try nested.encode(download.finalURL, forKey: .url)
        try nested.encode(download.attempts, forKey: .attempts)
        try nested.encode(download.resumes, forKey: .resumes)
        try nested.encode(download.restarts, forKey: .restarts)
        try nested.encode(download.bytesTransferred, forKey: .bytesTransferred)
        try nested.encode(download.contentType, forKey: .contentType)
    }
}
