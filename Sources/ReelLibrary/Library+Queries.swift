import Foundation
import GRDB

/// Which items `list` shows.
public struct ItemFilter: Sendable, Hashable {
    public var kind: ItemKind?
    public var sourceType: SourceType?
    /// true: saved only; false: drafts only; nil: both.
    public var saved: Bool?
    public var since: Date?
    /// Made before this date.
    public var until: Date?
    /// Items whose id starts with it, or whose name, provider, model or prompt contains it.
    public var text: String?

    public init(
        kind: ItemKind? = nil, sourceType: SourceType? = nil, saved: Bool? = nil, since: Date? = nil,
        until: Date? = nil, text: String? = nil
    ) {
        self.kind = kind
        self.sourceType = sourceType
        self.saved = saved
        self.since = since
        self.until = until
        self.text = text
    }
}

/// One page of items, newest first.
public struct ItemPage: Sendable, Codable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int

    enum CodingKeys: String, CodingKey {
        case items, page
        case perPage = "per_page"
        case total
    }
}

/// An item with the items it was made from, recursively, and the items made from it (thumbnails, sprites).
public struct LineageNode: Sendable, Encodable {
    /// The item; for a deleted input, what it was (its file is gone, and `path` is where it used to be).
    public var item: Item
    /// When this input was deleted (it lives on as a tombstone so its lineage still names it); nil for an item.
    public var deletedAt: Date?
    /// How this item was used by the one above it (`input`, `thumbnail-of`…); nil at the top.
    public var role: String?
    public var ordinal: Int?
    public var inputs: [LineageNode]
    /// Items derived from this one that are not stitched from it (thumbnails, sprites); top level only.
    public var derived: [LineageNode]

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(ordinal, forKey: .ordinal)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(derived, forKey: .derived)
        try container.encode(deletedAt != nil, forKey: .deleted)
        try container.encode(deletedAt, forKey: .deletedAt)
    }

    enum CodingKeys: String, CodingKey {
        case role, ordinal, inputs, derived, deleted
        case deletedAt = "deleted_at"
    }
}

/// An entry of the event log.
public struct LibraryEvent: Sendable, Codable {
    public var id: Int64
    public var at: Date
    public var itemID: String?
    public var kind: String
    public var message: String

    enum CodingKeys: String, CodingKey {
        case id, at
        case itemID = "item_id"
        case kind, message
    }
}

extension Library {
    /// Runs a read, mapping catalog errors to ``LibraryError``.
    func reading<T>(_ body: (Database) throws -> T) throws(LibraryError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.libraryError(error, catalog: catalogPath)
        }
    }

    /// Runs a write transaction, mapping catalog errors to ``LibraryError`` (a full disk named as such).
    func writing<T>(_ body: (Database) throws -> T) throws(LibraryError) -> T {
        guard !isReadOnly else { throw .readOnly(path: root, detail: "cannot write") }
        do {
            return try database.write(body)
        } catch {
            throw Self.libraryError(error, catalog: catalogPath)
        }
    }

    /// The item with this id, unique id prefix, or full SHA-256.
    public func item(_ reference: String) throws(LibraryError) -> Item {
        let record = try reading { db in try resolve(db, reference) }
        return try item(record)
    }

    /// Finds the one record `reference` names.
    func resolve(_ db: Database, _ reference: String) throws -> ItemRecord {
        let text = reference.lowercased()
        guard !text.isEmpty, text.allSatisfy(\.isHexDigit) else { throw LibraryError.noSuchItem(reference) }
        if text.count == 64, let record = try ItemRecord.filter(Column("sha256") == text).fetchOne(db) {
            return record
        }
        let matches = try ItemRecord.filter(Column("id").like("\(text)%")).limit(6).fetchAll(db)
        switch matches.count {
        case 0: throw LibraryError.noSuchItem(reference)
        case 1: return matches[0]
        default: throw LibraryError.ambiguousItem(reference, matches: matches.map(\.id))
        }
    }

    /// The public value for a record, with its generation details and remote copies.
    func item(_ record: ItemRecord) throws(LibraryError) -> Item {
        try reading { db in try item(db, record) }
    }

    /// The public value for a record, read in `db` (inside a transaction that may be about to remove it).
    func item(_ db: Database, _ record: ItemRecord) throws -> Item {
        try items(db, [record])[0]
    }

    /// The public values for records, read in `db`: one query for all their generation details and one for all
    /// their remote copies, however many records there are.
    func items(_ db: Database, _ records: [ItemRecord]) throws -> [Item] {
        guard !records.isEmpty else { return [] }
        let ids = records.map(\.id)
        let generations = Dictionary(
            try GenerationRecord.filter(ids.contains(Column("item_id"))).fetchAll(db).map { ($0.itemID, $0) },
            uniquingKeysWith: { first, _ in first })
        let remotes = Dictionary(
            grouping: try RemoteCopyRecord.filter(ids.contains(Column("item_id"))).order(Column("remote"))
                .fetchAll(db),
            by: \.itemID)
        return records.map { makeItem($0, generation: generations[$0.id], remotes: remotes[$0.id] ?? []) }
    }

    /// What a deleted input was, as an item without media, generation or remote copies.
    private func item(_ tombstone: TombstoneRecord) -> Item {
        Item(
            id: tombstone.id, name: tombstone.name, kind: ItemKind(rawValue: tombstone.kind) ?? .other,
            sha256: tombstone.sha256, size: tombstone.size, ext: tombstone.ext,
            sourceType: SourceType(rawValue: tombstone.sourceType) ?? .uploaded, saved: false,
            createdAt: tombstone.createdAt, savedAt: nil,
            path: objectPath(sha256: tombstone.sha256, ext: tombstone.ext), media: nil, generation: nil, remotes: [])
    }

    func makeItem(_ record: ItemRecord, generation: GenerationRecord?, remotes: [RemoteCopyRecord]) -> Item {
        let hasMedia = record.duration != nil || record.width != nil || record.audioCodec != nil
        return Item(
            id: record.id, name: record.name, kind: ItemKind(rawValue: record.kind) ?? .other, sha256: record.sha256,
            size: record.size, ext: record.ext, sourceType: SourceType(rawValue: record.sourceType) ?? .uploaded,
            saved: record.saved, createdAt: record.createdAt, savedAt: record.savedAt,
            path: objectPath(sha256: record.sha256, ext: record.ext),
            media: hasMedia
                ? ItemMedia(
                    duration: record.duration, width: record.width, height: record.height,
                    displayWidth: record.displayWidth, displayHeight: record.displayHeight,
                    aspectRatio: record.aspectRatio, videoCodec: record.videoCodec, fps: record.fps,
                    audioCodec: record.audioCodec, audioRate: record.audioRate, audioChannels: record.audioChannels,
                    probeJSON: record.mediaJSON)
                : nil,
            generation: generation?.info,
            remotes: remotes.map {
                RemoteCopy($0)
            })
    }

    /// Items matching `filter`, newest first, `perPage` at a time (pages start at 1). The total and where each
    /// page starts come from a ``PageIndex`` kept until the catalog changes, so a deep page costs what the first
    /// one does.
    public func items(matching filter: ItemFilter, page: Int = 1, perPage: Int = 50) throws(LibraryError) -> ItemPage {
        guard page >= 1, perPage >= 1 else { throw .invalidArgument("page and per-page must be at least 1") }
        let (found, total) = try reading { db -> ([Item], Int) in
            let request = Self.request(matching: filter)
            let version = try CatalogVersion.current(db, readOnly: isReadOnly)
            let index = try pageIndexes.index(db, .init(filter: filter, perPage: perPage), request, version: version)
            guard let pageRequest = index.page(page, of: request) else { return ([], index.total) }
            let records = try pageRequest.order(PageIndex.newest).limit(perPage).fetchAll(db)
            return (try items(db, records), index.total)
        }
        return ItemPage(items: found, page: page, perPage: perPage, total: total)
    }

    /// The items `filter` lets through, in no order.
    private static func request(matching filter: ItemFilter) -> QueryInterfaceRequest<ItemRecord> {
        var request = ItemRecord.all()
        if let kind = filter.kind { request = request.filter(Column("kind") == kind.rawValue) }
        if let source = filter.sourceType { request = request.filter(Column("source_type") == source.rawValue) }
        if let saved = filter.saved { request = request.filter(Column("saved") == saved) }
        if let since = filter.since { request = request.filter(Column("created_at") >= since) }
        if let until = filter.until { request = request.filter(Column("created_at") < until) }
        if let text = filter.text, !text.isEmpty {
            let pattern = "%\(text)%"
            request = request.filter(
                sql: """
                    id LIKE ? OR name LIKE ? OR id IN (SELECT item_id FROM generations
                      WHERE provider LIKE ? OR model LIKE ? OR prompt LIKE ?)
                    """, arguments: ["\(text.lowercased())%", pattern, pattern, pattern, pattern])
        }
        return request
    }

    /// Items whose SHA-256 or id starts with `query`, or whose name, provider, model or prompt contains it, newest
    /// first, `perPage` at a time (pages start at 1): the same page shape as ``items(matching:page:perPage:)``.
    public func find(_ query: String, page: Int = 1, perPage: Int = 50) throws(LibraryError) -> ItemPage {
        guard page >= 1, perPage >= 1 else { throw .invalidArgument("page and per-page must be at least 1") }
        let pattern = "%\(query)%"
        let matching = """
            FROM items LEFT JOIN generations ON generations.item_id = items.id
            WHERE items.sha256 LIKE ? OR items.id LIKE ? OR items.name LIKE ? OR generations.provider LIKE ?
               OR generations.model LIKE ? OR generations.prompt LIKE ?
            """
        let arguments: StatementArguments = [
            "\(query.lowercased())%", "\(query.lowercased())%", pattern, pattern, pattern, pattern,
        ]
        let (found, total) = try reading { db -> ([Item], Int) in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT items.id) \(matching)", arguments: arguments)
            let records = try ItemRecord.fetchAll(
                db,
                sql: "SELECT DISTINCT items.* \(matching) ORDER BY items.created_at DESC, items.id LIMIT ? OFFSET ?",
                arguments: arguments + [perPage, (page - 1) * perPage])
            return (try items(db, records), total ?? 0)
        }
        return ItemPage(items: found, page: page, perPage: perPage, total: total)
    }

    /// The lineage tree of an item: what it was made from (in order, recursively) and what was made from it.
    public func lineage(of reference: String) throws(LibraryError) -> LineageNode {
        let root = try reading { db in try resolve(db, reference) }
        var node = try lineageNode(root, role: nil, ordinal: nil, depth: 0)
        let derived = try reading { db in
            try LineageRecord.filter(Column("input_id") == root.id && Column("role") != "input").fetchAll(db)
        }
        for edge in derived {
            let record = try reading { db in try ItemRecord.fetchOne(db, key: edge.itemID) }
            if let record {
                node.derived.append(
                    LineageNode(
                        item: try item(record), deletedAt: nil, role: edge.role, ordinal: edge.ordinal, inputs: [],
                        derived: [])
                )
            }
        }
        return node
    }

    private func lineageNode(_ record: ItemRecord, role: String?, ordinal: Int?, depth: Int) throws(LibraryError)
        -> LineageNode
    {
        var node = LineageNode(
            item: try item(record), deletedAt: nil, role: role, ordinal: ordinal, inputs: [], derived: [])
        guard depth < 32 else { return node }
        let edges = try reading { db in
            try LineageRecord.filter(Column("item_id") == record.id).order(Column("role"), Column("ordinal"))
                .fetchAll(db)
        }
        for edge in edges {
            let (input, tombstone) = try reading { db in
                (try ItemRecord.fetchOne(db, key: edge.inputID), try TombstoneRecord.fetchOne(db, key: edge.inputID))
            }
            if let input {
                node.inputs.append(try lineageNode(input, role: edge.role, ordinal: edge.ordinal, depth: depth + 1))
            } else if let tombstone {
                node.inputs.append(
                    LineageNode(
                        item: item(tombstone), deletedAt: tombstone.deletedAt, role: edge.role, ordinal: edge.ordinal,
                        inputs: [], derived: []))
            }
        }
        return node
    }

    /// Events, oldest first, optionally since a date or about one item.
    public func events(since: Date? = nil, item reference: String? = nil) throws(LibraryError) -> [LibraryEvent] {
        try reading { db in
            var request = EventRecord.order(Column("id"))
            if let since { request = request.filter(Column("at") >= since) }
            if let reference { request = request.filter(Column("item_id") == (try resolve(db, reference)).id) }
            return try request.fetchAll(db).map {
                LibraryEvent(id: $0.id ?? 0, at: $0.at, itemID: $0.itemID, kind: $0.kind, message: $0.message)
            }
        }
    }
}
