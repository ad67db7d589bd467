import Foundation
import GRDB

/// A row of `tombstones`: a deleted item other items were made from. Its row in `items` and its file are gone;
/// this keeps what it was (id, name, SHA-256…) so the lineage rows naming it as their input still say what those
/// items were made from. Importing the same bytes again brings the item back under its id; the tombstone goes
/// when no lineage row names it any more.
struct TombstoneRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "tombstones"

    var id: String
    var name: String
    var kind: String
    var sha256: String
    var size: Int64
    var ext: String
    var sourceType: String
    var createdAt: Date
    var deletedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case kind
        case sha256
        case size
        case ext
        case sourceType = "source_type"
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
    }

    init(_ item: ItemRecord, deletedAt: Date) {
        id = item.id
        name = item.name
        kind = item.kind
        sha256 = item.sha256
        size = item.size
        ext = item.ext
        sourceType = item.sourceType
        createdAt = item.createdAt
        self.deletedAt = deletedAt
    }
}
