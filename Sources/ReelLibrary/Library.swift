import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What to record about a file being added.
public struct IngestRequest: Sendable {
    public var name: String
    public var kind: ItemKind
    /// Extension for the stored object, without the dot.
    public var ext: String
    public var sourceType: SourceType
    public var media: ItemMedia?
    public var generation: GenerationInfo?
    public var inputs: [LineageInput]
    /// Mark the item saved (kept) rather than a draft.
    public var save: Bool
    /// Where the bytes came from, for the event log (a path, a redacted URL, `stitch of …`).
    public var origin: String

    public init(
        name: String, kind: ItemKind, ext: String, sourceType: SourceType, media: ItemMedia? = nil,
        generation: GenerationInfo? = nil, inputs: [LineageInput] = [], save: Bool = false, origin: String
    ) {
        self.name = name
        self.kind = kind
        self.ext = ext
        self.sourceType = sourceType
        self.media = media
        self.generation = generation
        self.inputs = inputs
        self.save = save
        self.origin = origin
    }
}

/// What was wrong with a stored copy that an ingest of the same bytes put right.
public enum StoredCopyDamage: String, Sendable {
    /// The object file was gone.
    case missing
    /// The object file's bytes no longer hashed to its SHA-256.
    case corrupt
}

/// What an ingest of bytes already in the library did with the provenance it brought.
public enum ProvenanceUpdate: Sendable, Equatable {
    /// The item had less: the new generation details (or the `generated` source type) were recorded.
    case recorded
    /// The item's recorded provenance differs from the new one, which was not applied (an event says what it was).
    case kept
}

/// The result of an ingest: the item, and what the library did with the bytes.
public struct IngestResult: Sendable {
    /// What an ingest did.
    public enum Outcome: Sendable, Equatable {
        /// A new item.
        case added
        /// The same bytes were already there, stored intact.
        case duplicate
        /// The same bytes were already there but their stored copy was not: these bytes replaced it.
        case restoredCopy(StoredCopyDamage)
        /// The bytes of a deleted item other items were made from (a tombstone): the item is back, with its id.
        case revived
    }

    public var item: Item
    public var outcome: Outcome
    /// What became of the provenance the same bytes brought again (nil: a new item, or nothing new).
    public var provenance: ProvenanceUpdate? = nil

    /// The same SHA-256 was already in the library (whether or not its stored copy needed restoring).
    public var wasDuplicate: Bool {
        switch outcome {
        case .duplicate, .restoredCopy: true
        case .added, .revived: false
        }
    }

    /// A plain sentence for the user.
    public var summary: String {
        switch provenance {
        case nil: outcomeSummary
        case .recorded: outcomeSummary + "; recorded the new provenance"
        case .kept: outcomeSummary + "; kept its recorded provenance (the new one differs, see reel library log)"
        }
    }

    private var outcomeSummary: String {
        switch outcome {
        case .added: "added \(item.id) (\(item.kind.rawValue), \(item.size) bytes)"
        case .revived: "restored deleted item \(item.id) (\(item.kind.rawValue), \(item.size) bytes)"
        case .duplicate: "already in the library as \(item.id), same SHA-256"
        case .restoredCopy(let damage):
            "already in the library as \(item.id), same SHA-256; restored the stored copy (it was \(damage.rawValue))"
        }
    }
}

/// A media library: content-addressed files in `objects/` plus an SQLite catalog of what they are and where they
/// came from. Every write goes staging → fsync → rename → catalog transaction, so a crash at any point leaves
/// either the whole item or nothing visible. Several processes may share one library.
public final class Library: Sendable {
    /// The library folder.
    public let root: String
    let database: any DatabaseWriter
    /// True when the folder cannot be written: reads work, writes are refused.
    public let isReadOnly: Bool
    /// Where the pages of the listings this process asked for start (``items(matching:page:perPage:)``).
    let pageIndexes = PageIndexCache()

    var objectsDirectory: String { (root as NSString).appendingPathComponent("objects") }
    var stagingDirectory: String { (root as NSString).appendingPathComponent("staging") }
    var catalogPath: String { (root as NSString).appendingPathComponent("catalog.sqlite") }
    /// The config file (remotes and settings).
    public var configPath: String { Self.configPath(at: root) }

    /// Where the config file of the library at `root` is.
    public static func configPath(at root: String) -> String {
        (root as NSString).appendingPathComponent("config.json")
    }

    /// Opens the library at `root`. With `create` (writers), a missing or empty folder becomes a new library;
    /// without it (readers), a folder with no catalog is ``LibraryError/noLibrary(path:)`` and nothing is created.
    public init(at root: String, create: Bool = true) throws(LibraryError) {
        let root = (root as NSString).standardizingPath
        self.root = root
        var isDirectory: ObjCBool = false
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: root, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notALibrary(path: root) }
            let contents = (try? fileManager.contentsOfDirectory(atPath: root)) ?? []
            if !contents.contains("catalog.sqlite") {
                if !contents.isEmpty { throw .notALibrary(path: root) }
                if !create { throw .noLibrary(path: root) }
            }
        } else {
            guard create else { throw .noLibrary(path: root) }
            try FileSystem.makeDirectory(root)
        }
        isReadOnly = !FileSystem.isWritable(root)
        let catalog = (root as NSString).appendingPathComponent("catalog.sqlite")
        if isReadOnly && !fileManager.fileExists(atPath: catalog) {
            throw .readOnly(path: root, detail: "cannot create a catalog here")
        }
        // Writers open and migrate the catalog one at a time: shards starting together on a new library would
        // otherwise both create it. The lock is an `flock` on the library folder, not on the catalog: closing any
        // descriptor of the catalog would drop the POSIX locks SQLite holds on it.
        var creationLock: Int32 = -1
        if !isReadOnly {
            creationLock = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard creationLock >= 0 else { throw .writeFailed(path: root, detail: FileSystem.lastError()) }
            flock(creationLock, LOCK_EX)
        }
        defer { if creationLock >= 0 { close(creationLock) } }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.readonly = isReadOnly
            configuration.foreignKeysEnabled = true
            // A folder this process cannot write holds no -shm file SQLite could create, so a read-only library
            // is opened as an immutable snapshot (SQLite URI filename).
            database =
                isReadOnly
                ? try DatabaseQueue(path: "file:\(catalog)?immutable=1", configuration: configuration)
                : try DatabasePool(path: catalog, configuration: configuration)
            let migrator = CatalogSchema.migrator
            let known = Set(migrator.migrations)
            let applied = try database.read { db in try migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty { throw LibraryError.newerSchema(path: root, unknown: unknown.sorted()) }
            if !isReadOnly { try migrator.migrate(database) }
        } catch {
            throw Self.libraryError(error, catalog: catalog)
        }
        if !isReadOnly {
            try FileSystem.makeDirectory(objectsDirectory)
            try FileSystem.makeDirectory(stagingDirectory)
            if !fileManager.fileExists(atPath: configPath) {
                try LibraryConfig().write(to: configPath)
            }
        }
    }

    /// Where `--library` is not given: `REEL_LIBRARY`, else `$XDG_DATA_HOME/reel/library`,
    /// else `~/.local/share/reel/library`.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["REEL_LIBRARY"], !path.isEmpty { return path }
        let data =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (data as NSString).appendingPathComponent("reel/library")
    }

    /// The stored object's path for a hash and extension: `objects/ab/<sha256>.<ext>`.
    public func objectPath(sha256: String, ext: String) -> String {
        let name = ext.isEmpty ? sha256 : "\(sha256).\(ext)"
        return (objectsDirectory as NSString).appendingPathComponent("\(sha256.prefix(2))/\(name)")
    }

    /// A new file in the staging folder for a producer to write into; pass it to ``ingest(_:_:)``. Give `ext`
    /// when the producer writes by name and picks its format from the extension (then
    /// ``StagingFile/adoptWrittenBytes()``).
    public func makeStagingFile(ext: String? = nil) throws(LibraryError) -> StagingFile {
        guard !isReadOnly else { throw .readOnly(path: root, detail: "cannot write") }
        return try StagingFile(directory: stagingDirectory, ext: ext)
    }

    /// Copies the file at `path` in (hashing during the copy) and records it.
    public func ingest(copying path: String, _ request: IngestRequest) throws(LibraryError) -> IngestResult {
        let staging = try makeStagingFile()
        try staging.copy(from: path)
        return try ingest(staging, request)
    }

    /// Makes a staged file an item: fsync, then, holding the catalog's write lock, rename into `objects/` and
    /// insert the rows in one transaction. The same content already present returns the existing item; when that
    /// item's stored copy is missing or corrupt, these (verified) bytes take its place. The bytes of a deleted item
    /// that lives on as a tombstone bring it back under its id. Names and origins lose their control characters.
    /// When the transaction fails after the rename, the renamed file is removed again unless a row names it.
    public func ingest(_ staging: StagingFile, _ request: IngestRequest) throws(LibraryError) -> IngestResult {
        let sha256 = try staging.seal()
        var request = request
        request.name = request.name.withoutControlCharacters
        request.origin = request.origin.withoutControlCharacters
        // Hashing a stored copy can take long: it is done before the lock, and only trusted under it when the
        // file is still the one that was hashed.
        let stored = try reading { db in try ItemRecord.filter(Column("sha256") == sha256).fetchOne(db) }
            .map { StoredCopyCheck(path: objectPath(sha256: $0.sha256, ext: $0.ext), sha256: $0.sha256, size: $0.size) }
        let now = Date()
        var placed: String?
        var provenance: ProvenanceUpdate?
        do {
            let (record, outcome) = try database.write { db -> (ItemRecord, IngestResult.Outcome) in
                provenance = nil
                if let existing = try ItemRecord.filter(Column("sha256") == sha256).fetchOne(db) {
                    return try addDuplicate(
                        db, existing, staging, request, checked: stored, at: now, placed: &placed,
                        provenance: &provenance)
                }
                let tombstone = try TombstoneRecord.filter(Column("sha256") == sha256).fetchOne(db)
                let target = objectPath(sha256: sha256, ext: request.ext)
                placed = target
                try place(staging, at: target)
                FaultInjection.point(.afterRename)
                let record = try insert(db, request, sha256: sha256, size: staging.size, at: now, id: tombstone?.id)
                if let tombstone {
                    _ = try tombstone.delete(db)
                    try log(db, record.id, "revive", "\(request.origin) brought back deleted item \(record.id)")
                }
                FaultInjection.point(.inTransaction)
                return (record, tombstone == nil ? .added : .revived)
            }
            return IngestResult(item: try item(record), outcome: outcome, provenance: provenance)
        } catch {
            if let placed { unlinkUnnamedObjects([placed]) }
            throw Self.libraryError(error, catalog: catalogPath)
        }
    }

    /// The same bytes again: the existing item, saved if asked, its stored copy put right when it is not, and the
    /// provenance they brought merged (``mergeProvenance(_:_:_:)``).
    private func addDuplicate(
        _ db: Database, _ existing: ItemRecord, _ staging: StagingFile, _ request: IngestRequest,
        checked: StoredCopyCheck?, at now: Date, placed: inout String?, provenance: inout ProvenanceUpdate?
    ) throws -> (ItemRecord, IngestResult.Outcome) {
        var existing = existing
        let path = objectPath(sha256: existing.sha256, ext: existing.ext)
        let damage = StoredCopyCheck.damage(
            at: path, size: existing.size, checked: checked?.path == path ? checked : nil)
        if let damage {
            placed = path
            try place(staging, at: path)
            try log(db, existing.id, "restore", "restored the stored copy from \(request.origin) (it was \(damage))")
        } else {
            unlink(staging.path)
            staging.handedOver()
        }
        if request.save && !existing.saved {
            existing.saved = true
            existing.savedAt = now
            try existing.update(db)
        }
        try log(db, existing.id, "duplicate", "\(request.origin) is already here as \(existing.id)")
        provenance = try mergeProvenance(db, &existing, request)
        return (existing, damage.map(IngestResult.Outcome.restoredCopy) ?? .duplicate)
    }

    /// The provenance the same bytes brought again. Generation details the item lacked are recorded, and a
    /// `generated` source type replaces `uploaded`; provenance that contradicts what is recorded is not applied.
    /// Either way a `provenance` event says what happened; the same provenance again changes nothing.
    private func mergeProvenance(
        _ db: Database, _ existing: inout ItemRecord, _ request: IngestRequest
    ) throws -> ProvenanceUpdate? {
        let generated = SourceType.generated.rawValue
        let recorded = try GenerationRecord.filter(Column("item_id") == existing.id).fetchOne(db)?.info
        let typeChange = existing.sourceType == generated ? "" : "; source type \(existing.sourceType) → generated"
        switch (request.generation, recorded) {
        case (let brought?, let recorded?):
            guard !brought.isSameGeneration(as: recorded) else { return nil }
            try log(
                db, existing.id, "provenance",
                "\(request.origin) brought other generation details (\(brought.summary)); kept the recorded ones "
                    + "(\(recorded.summary))")
            return .kept
        case (let brought?, nil):
            try GenerationRecord(itemID: existing.id, brought).insert(db)
            existing.sourceType = generated
            try existing.update(db)
            try log(
                db, existing.id, "provenance",
                "recorded generation details from \(request.origin) (\(brought.summary))\(typeChange)")
            return .recorded
        case (nil, _):
            guard request.sourceType.rawValue != existing.sourceType else { return nil }
            guard request.sourceType == .generated else {
                try log(
                    db, existing.id, "provenance",
                    "\(request.origin) says \(request.sourceType.rawValue); kept \(existing.sourceType)")
                return .kept
            }
            existing.sourceType = generated
            try existing.update(db)
            try log(db, existing.id, "provenance", "\(request.origin) says generated\(typeChange)")
            return .recorded
        }
    }

    /// Renames the sealed staging file to `target` (replacing what is there) and flushes the folder.
    private func place(_ staging: StagingFile, at target: String) throws(LibraryError) {
        let folder = (target as NSString).deletingLastPathComponent
        try FileSystem.makeDirectory(folder)
        try FileSystem.rename(staging.path, to: target)
        staging.handedOver()
        try FileSystem.syncDirectory(folder)
    }

    /// A library error for anything a catalog read or write threw: ours as they are, SQLite's by result code.
    static func libraryError(_ error: any Error, catalog: String) -> LibraryError {
        switch error {
        case let error as LibraryError: error
        case let error as DatabaseError: LibraryError(error, catalog: catalog)
        default: .catalog("\(catalog): \(ErrorLine.describe(error))")
        }
    }

    /// Inserts the rows of a new item, under `id` when it comes back from a tombstone. A new id is the first 12
    /// hex digits of the SHA-256, longer when an item or a tombstone already has those.
    private func insert(
        _ db: Database, _ request: IngestRequest, sha256: String, size: Int64, at now: Date, id revived: String?
    ) throws -> ItemRecord {
        var id = revived ?? String(sha256.prefix(12))
        while revived == nil, try ItemRecord.exists(db, key: id) || TombstoneRecord.exists(db, key: id) {
            id = String(sha256.prefix(id.count + 4))
        }
        let media = request.media
        let record = ItemRecord(
            id: id, name: request.name, kind: request.kind.rawValue, sha256: sha256, size: size, ext: request.ext,
            mime: Self.mimeType(forExtension: request.ext), sourceType: request.sourceType.rawValue,
            saved: request.save, createdAt: now, savedAt: request.save ? now : nil, duration: media?.duration,
            width: media?.width, height: media?.height, displayWidth: media?.displayWidth,
            displayHeight: media?.displayHeight, aspectRatio: media?.aspectRatio, videoCodec: media?.videoCodec,
            fps: media?.fps, audioCodec: media?.audioCodec, audioRate: media?.audioRate,
            audioChannels: media?.audioChannels, mediaJSON: media?.probeJSON)
        try record.insert(db)
        if let generation = request.generation { try GenerationRecord(itemID: id, generation).insert(db) }
        for input in request.inputs {
            do {
                try LineageRecord(
                    itemID: id, inputID: input.itemID, ordinal: input.ordinal, role: input.role,
                    parametersJSON: input.parametersJSON
                ).insert(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // The catalog refuses an input that is not an item (deleted meanwhile, or never there).
                if try !ItemRecord.exists(db, key: input.itemID) { throw LibraryError.noSuchItem(input.itemID) }
                throw error
            }
        }
        try log(db, id, "ingest", "added \(request.name) from \(request.origin)")
        return record
    }

    /// Appends to the event log.
    func log(_ db: Database, _ itemID: String?, _ kind: String, _ message: String) throws {
        var event = EventRecord(id: nil, at: Date(), itemID: itemID, kind: kind, message: message)
        try event.insert(db)
    }

    /// The MIME type stored objects of this extension are served with.
    public static func mimeType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "mp4", "m4v": "video/mp4"
        case "mov": "video/quicktime"
        case "webm": "video/webm"
        case "mkv": "video/x-matroska"
        case "ts": "video/mp2t"
        case "m4a": "audio/mp4"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "vtt": "text/vtt"
        default: "application/octet-stream"
        }
    }
}

extension String {
    /// The text without control characters (C0, DEL and C1, ESC among them): a name a server planted cannot drive
    /// the terminal it is printed on.
    var withoutControlCharacters: String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0.properties.generalCategory != .control }))
    }
}

extension JSONEncoder {
    /// Sorted keys, unescaped slashes, ISO 8601 dates: stable JSON text for the catalog, and the shapes every
    /// `--json` flag and the server's API print (snake_case keys, set by each type).
    public static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
