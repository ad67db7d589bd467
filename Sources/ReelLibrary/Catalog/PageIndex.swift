import GRDB
import Synchronization

/// Where each page of a newest-first listing ends, and how many items the listing has: found in one pass over the
/// matching rows' `items_newest` index entries, so that any page is then a keyset query (the items after the end
/// of the page before it) instead of an `OFFSET` that steps over every earlier entry, and the total is not counted
/// again for every page.
struct PageIndex: Sendable {
    /// The newest-first sort key of an item: creation time, then id.
    struct Key: Sendable {
        var createdAt: DatabaseValue
        var id: String
    }

    /// The catalog version the index was found at (``CatalogVersion``).
    var version: Int64
    var total: Int
    /// `ends[k]` is the key of the last item on page `k + 1`.
    var ends: [Key]

    /// The newest-first order of a listing.
    static var newest: [any SQLOrderingTerm] { [Column("created_at").desc, Column("id")] }

    /// Scans the keys of `request`'s items, newest first, noting every `perPage`-th.
    init(_ db: Database, _ request: QueryInterfaceRequest<ItemRecord>, perPage: Int, version: Int64) throws {
        let keys = try request.select(Column("created_at"), Column("id")).order(Self.newest)
            .asRequest(of: Row.self).fetchCursor(db)
        var total = 0
        var ends: [Key] = []
        while let row = try keys.next() {
            total += 1
            if total % perPage == 0 { ends.append(Key(createdAt: row[0], id: row[1])) }
        }
        self.version = version
        self.total = total
        self.ends = ends
    }

    /// `request` narrowed to page `page` (from 1): the items after the end of the page before, or none when the
    /// listing has no such page.
    func page(_ page: Int, of request: QueryInterfaceRequest<ItemRecord>) -> QueryInterfaceRequest<ItemRecord>? {
        guard page > 1 else { return request }
        guard page - 2 < ends.count else { return nil }
        let end = ends[page - 2]
        return request.filter(sql: Self.after, arguments: [end.createdAt, end.createdAt, end.id])
    }

    /// The items after a key (creation time, time, id) in newest-first order. Written as a range on the time
    /// (`<=`) narrowed by the tie-break, so SQLite seeks into `items_newest`: the plain `created_at < ? OR
    /// (created_at = ? AND id > ?)` makes it scan the index from the newest entry, a deep page as slow as an OFFSET.
    static let after = "created_at <= ? AND (created_at < ? OR id > ?)"
}

/// The page indexes of the listings a long-lived process (`reel serve`) asks for, each kept until the catalog's
/// version moves on. A handful of filters at most are kept: a new one past the limit starts the cache afresh.
final class PageIndexCache: Sendable {
    struct Listing: Hashable, Sendable {
        var filter: ItemFilter
        var perPage: Int
    }

    private static let limit = 32
    private let indexes = Mutex<[Listing: PageIndex]>([:])

    /// The index of `listing` at catalog `version`, found anew when the kept one is older.
    func index(
        _ db: Database, _ listing: Listing, _ request: QueryInterfaceRequest<ItemRecord>, version: Int64
    ) throws -> PageIndex {
        if let kept = indexes.withLock({ $0[listing] }), kept.version == version { return kept }
        let index = try PageIndex(db, request, perPage: listing.perPage, version: version)
        indexes.withLock { indexes in
            if indexes.count >= Self.limit { indexes.removeAll() }
            indexes[listing] = index
        }
        return index
    }
}

/// A number that every change to what a listing shows moves on (an item added, removed, renamed, saved or
/// unsaved, or its generation details changed), kept by triggers in the catalog so that changes by other
/// processes count too.
enum CatalogVersion {
    /// The tables whose changes move the version, and for updates the columns that matter to a listing.
    private static let watched: [(table: String, columns: String)] = [
        ("items", "id, name, kind, source_type, saved, created_at"),
        ("generations", "item_id, provider, model, prompt"),
    ]

    /// Creates the version table and its triggers (migration `v6-catalog-version`).
    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE catalog_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
                INSERT INTO catalog_version (id, version) VALUES (1, 0);
                """)
        let bump = "BEGIN UPDATE catalog_version SET version = version + 1; END"
        for (table, columns) in watched {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(table)_added AFTER INSERT ON \(table) \(bump);
                    CREATE TRIGGER \(table)_removed AFTER DELETE ON \(table) \(bump);
                    CREATE TRIGGER \(table)_changed AFTER UPDATE OF \(columns) ON \(table) \(bump);
                    """)
        }
    }

    /// The current version; for a catalog opened read-only (an immutable snapshot, perhaps from before the
    /// version table existed), always 0.
    static func current(_ db: Database, readOnly: Bool) throws -> Int64 {
        readOnly ? 0 : try Int64.fetchOne(db, sql: "SELECT version FROM catalog_version") ?? 0
    }
}
