import Foundation
import GRDB

/// A row of `items`: one file in the library.
struct ItemRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "items"

    var id: String
    var name: String
    var kind: String
    var sha256: String
    var size: Int64
    var ext: String
    var mime: String
    var sourceType: String
    var saved: Bool
    var createdAt: Date
    var savedAt: Date?
    var duration: Double?
    var width: Int?
    var height: Int?
    var displayWidth: Int?
    var displayHeight: Int?
    var aspectRatio: String?
    var videoCodec: String?
    var fps: Double?
    var audioCodec: String?
    var audioRate: Int?
    var audioChannels: Int?
    var mediaJSON: String?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case kind
        case sha256
        case size
        case ext
        case mime
        case sourceType = "source_type"
        case saved
        case createdAt = "created_at"
        case savedAt = "saved_at"
        case duration
        case width
        case height
        case displayWidth = "display_width"
        case displayHeight = "display_height"
        case aspectRatio = "aspect_ratio"
        case videoCodec = "video_codec"
        case fps
        case audioCodec = "audio_codec"
        case audioRate = "audio_rate"
        case audioChannels = "audio_channels"
        case mediaJSON = "media_json"
    }

}

/// A row of `generations`: how an AI provider made an item.
struct GenerationRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "generations"

    var itemID: String
    var provider: String?
    var model: String?
    var prompt: String?
    var paramsJSON: String
    var jobID: String?
    var sourceURL: String?
    var urlExpiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case provider
        case model
        case prompt
        case paramsJSON = "params_json"
        case jobID = "job_id"
        case sourceURL = "source_url"
        case urlExpiresAt = "url_expires_at"
    }
}

extension GenerationRecord {
    /// The row recording `generation` for the item `itemID` (params as sorted JSON).
    init(itemID: String, _ generation: GenerationInfo) throws {
        let params = try JSONEncoder.sorted.encode(generation.params)
        self.init(
            itemID: itemID, provider: generation.provider, model: generation.model, prompt: generation.prompt,
            paramsJSON: String(decoding: params, as: UTF8.self), jobID: generation.jobID,
            sourceURL: generation.sourceURL, urlExpiresAt: generation.urlExpiresAt)
    }

    /// The public value of the row.
    var info: GenerationInfo {
        GenerationInfo(
            provider: provider, model: model, prompt: prompt,
            params: (try? JSONDecoder().decode([String: String].self, from: Data(paramsJSON.utf8))) ?? [:],
            jobID: jobID, sourceURL: sourceURL, urlExpiresAt: urlExpiresAt)
    }
}

/// A row of `lineage`: `itemID` was made from `inputID` (at `ordinal`, in `role`).
struct LineageRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "lineage"

    var itemID: String
    var inputID: String
    var ordinal: Int
    var role: String
    var parametersJSON: String?

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case inputID = "input_id"
        case ordinal
        case role
        case parametersJSON = "parameters_json"
    }

}

/// A row of `remote_copies`: an item's copy in object storage.
struct RemoteCopyRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "remote_copies"

    var itemID: String
    var remote: String
    var key: String
    var url: String?
    var etag: String?
    var checksum: String?
    var status: String
    var savedAt: Date?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case remote
        case key
        case url
        case etag
        case checksum
        case status
        case savedAt = "saved_at"
        case error
    }

}

/// A row of `events`: the append-only log.
struct EventRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "events"

    var id: Int64?
    var at: Date
    var itemID: String?
    var kind: String
    var message: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    enum CodingKeys: String, CodingKey {
        case id
        case at
        case itemID = "item_id"
        case kind
        case message
    }

}
