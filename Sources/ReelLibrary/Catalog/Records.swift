import Foundation
import GRDB

/// A row of `items`: one file in the library.
struct ItemRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "items"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

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
}

/// A row of `generations`: how an AI provider made an item.
struct GenerationRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "generations"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var itemID: String
    var provider: String?
    var model: String?
    var prompt: String?
    var paramsJSON: String
    var jobID: String?
    var sourceURL: String?
    var urlExpiresAt: Date?
}

/// A row of `lineage`: `itemID` was made from `inputID` (at `ordinal`, in `role`).
struct LineageRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "lineage"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var itemID: String
    var inputID: String
    var ordinal: Int
    var role: String
    var parametersJSON: String?
}

/// A row of `remote_copies`: an item's copy in object storage.
struct RemoteCopyRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "remote_copies"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var itemID: String
    var remote: String
    var key: String
    var url: String?
    var etag: String?
    var checksum: String?
    var status: String
    var savedAt: Date?
    var error: String?
}

/// A row of `events`: the append-only log.
struct EventRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "events"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var at: Date
    var itemID: String?
    var kind: String
    var message: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
