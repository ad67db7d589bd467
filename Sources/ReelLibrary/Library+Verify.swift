import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `verify` found, and what `--repair` did about it.
public struct VerifyReport: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// A file in staging left by a write that never finished.
        case stagingLeftover = "staging-leftover"
        /// A file in objects/ that no catalog row names (a crash between rename and commit, or between a
        /// delete's commit and its unlink).
        case orphanObject = "orphan-object"
        /// A catalog row whose file is gone.
        case missingObject = "missing-object"
        /// A file whose bytes no longer hash to its name.
        case corruptObject = "corrupt-object"
    }
    public struct Finding: Sendable, Encodable {
        public var kind: Kind
        public var path: String
        public var itemID: String?
        public var repaired: Bool

        enum CodingKeys: String, CodingKey {
            case kind, path
            case itemID = "item_id"
            case repaired
        }
    }
    public var checkedObjects: Int
    public var findings: [Finding]

    enum CodingKeys: String, CodingKey {
        case checkedObjects = "checked_objects"
        case findings
    }
}

extension Library {
    /// Something the survey saw that may be a problem, to be confirmed under the write lock.
    private enum Suspect {
        case stagingLeftover(path: String)
        case orphan(path: String)
        case corrupt(path: String, record: ItemRecord, hashed: FileIdentity?)
        case missing(path: String, record: ItemRecord)
    }

    /// Rehashes every object and compares files with the catalog: staging leftovers, orphan objects, missing and
    /// corrupt objects. With `repair`, removes leftovers and orphans, drops rows whose file is gone (an item
    /// other items were made from stays as a tombstone) and records runs whose process died as `interrupted`.
    ///
    /// The long part takes no lock: a snapshot of the rows is read, then every file is listed and hashed while
    /// other processes go on importing, running and saving. Only then is the write lock taken (a read on a
    /// read-only library), briefly: each suspect is checked again against the catalog and the disk as they are now
    /// (a row may have appeared, gone, or been restored meanwhile; a staging file may be in use), and only what is
    /// still wrong is reported and repaired.
    public func verify(repair: Bool) throws(LibraryError) -> VerifyReport {
        var suspects: [Suspect] = []
        let fileManager = FileManager.default
        for name in (try? fileManager.contentsOfDirectory(atPath: stagingDirectory)) ?? [] {
            let path = (stagingDirectory as NSString).appendingPathComponent(name)
            if !StagingFile.isInUse(path) { suspects.append(.stagingLeftover(path: path)) }
        }
        var expected: [String: ItemRecord] = [:]
        for record in try reading({ db in try ItemRecord.fetchAll(db) }) {
            expected[objectPath(sha256: record.sha256, ext: record.ext)] = record
        }
        var checked = 0
        let enumerator = fileManager.enumerator(atPath: objectsDirectory)
        while let relative = enumerator?.nextObject() as? String {
            let path = (objectsDirectory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            guard let record = expected.removeValue(forKey: path) else {
                suspects.append(.orphan(path: path))
                continue
            }
            checked += 1
            let identity = FileIdentity(path)
            if (try? Self.sha256(ofFileAt: path)) != record.sha256 {
                suspects.append(.corrupt(path: path, record: record, hashed: identity))
            }
        }
        for (path, record) in expected.sorted(by: { $0.key < $1.key }) {
            suspects.append(.missing(path: path, record: record))
        }
        let confirm = { (db: Database) throws -> [VerifyReport.Finding] in
            var unlinked = 0
            func remove(_ path: String) -> Bool {
                guard repair, unlink(path) == 0 else { return false }
                unlinked += 1
                if unlinked == 1 { FaultInjection.point(.midUnlink) }
                return true
            }
            var findings: [VerifyReport.Finding] = []
            for suspect in suspects {
                switch suspect {
                case .stagingLeftover(let path):
                    guard fileManager.fileExists(atPath: path), !StagingFile.isInUse(path) else { continue }
                    findings.append(.init(kind: .stagingLeftover, path: path, itemID: nil, repaired: remove(path)))
                case .orphan(let path):
                    guard FileIdentity(path) != nil, try !self.rowNames(db, path) else { continue }
                    findings.append(.init(kind: .orphanObject, path: path, itemID: nil, repaired: remove(path)))
                case .corrupt(let path, let record, let hashed):
                    guard try self.stillNames(db, record) else { continue }
                    let current = FileIdentity(path)
                    if current == nil {
                        findings.append(try self.missing(db, path, record, repair: repair))
                    } else if current == hashed {
                        findings.append(.init(kind: .corruptObject, path: path, itemID: record.id, repaired: false))
                    }
                case .missing(let path, let record):
                    guard try self.stillNames(db, record), FileIdentity(path) == nil else { continue }
                    findings.append(try self.missing(db, path, record, repair: repair))
                }
            }
            return findings
        }
        if isReadOnly && !repair { return VerifyReport(checkedObjects: checked, findings: try reading(confirm)) }
        let (findings, interrupted) = try writing { db in
            (try confirm(db), repair ? try self.markInterruptedRuns(db) : [])
        }
        removeLeases(of: interrupted)
        return VerifyReport(checkedObjects: checked, findings: findings)
    }

    /// Whether the row `record` was read from is still there, naming the same file.
    private func stillNames(_ db: Database, _ record: ItemRecord) throws -> Bool {
        let same = Column("id") == record.id && Column("sha256") == record.sha256 && Column("ext") == record.ext
        return try ItemRecord.filter(same).isEmpty(db) == false
    }

    /// A row whose file is gone, dropped with `repair` (there is no file to unlink).
    private func missing(_ db: Database, _ path: String, _ record: ItemRecord, repair: Bool) throws
        -> VerifyReport.Finding
    {
        if repair { _ = try removeItem(db, record, reason: "verify --repair: object file was missing") }
        return .init(kind: .missingObject, path: path, itemID: record.id, repaired: repair)
    }
}
