import Foundation
import GRDB
import ReelTestSupport
import Testing

@testable import ReelLibrary

/// A new library in a fresh folder, and a helper to make files with given bytes.
private struct Sandbox {
    let folder: URL
    let library: Library

    init() throws {
        folder = try Fixtures.scratchDirectory()
        library = try Library(at: folder.appendingPathComponent("lib").path)
    }

    func file(_ name: String, _ contents: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func ingest(_ name: String, _ contents: String, inputs: [LineageInput] = [], save: Bool = false) throws
        -> IngestResult
    {
        try library.ingest(
            copying: try file(name, contents),
            IngestRequest(
                name: name, kind: .other, ext: "bin", sourceType: inputs.isEmpty ? .uploaded : .stitched,
                inputs: inputs, save: save, origin: name))
    }
}

/// sha256sum's answer for a file: the oracle for every hash.
private func sha256sum(_ path: String) throws -> String {
    String(try Shell.run("sha256sum", [path]).stdout.prefix(64))
}

@Suite("library: ingest and dedup")
struct IngestTests {
    @Test("an ingested file is stored under its SHA-256 and its bytes hash right")
    func ingestStores() throws {
        let sandbox = try Sandbox()
        let source = try sandbox.file("a.bin", "hello library")
        let result = try sandbox.library.ingest(
            copying: source, IngestRequest(name: "a.bin", kind: .other, ext: "bin", sourceType: .uploaded, origin: "a"))
        let expected = try sha256sum(source)
        #expect(result.item.sha256 == expected)
        #expect(result.item.id == String(expected.prefix(12)))
        #expect(try sha256sum(result.item.path) == expected)
        #expect(result.item.path.contains("/objects/\(expected.prefix(2))/\(expected).bin"))
        #expect(!result.wasDuplicate)
        let staging = try FileManager.default.contentsOfDirectory(atPath: sandbox.folder.path + "/lib/staging")
        #expect(staging.isEmpty)
    }

    @Test("a staging file written past several writeback windows, restarted once, holds and hashes its bytes")
    func stagingAcrossWriteback() throws {
        let sandbox = try Sandbox()
        let window = Int(StagingFile.writebackWindow)
        // Uneven chunks, so window edges fall inside writes; a restart after more than a window.
        let chunk = Data((0..<(window / 3 + 4097)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let staging = try sandbox.library.makeStagingFile()
        for _ in 0..<4 { try staging.write(chunk) }
        try staging.restart()
        var written = Data()
        for index in 0..<10 {
            let piece = chunk.prefix(chunk.count - index * 1000)
            try staging.write(piece)
            written.append(piece)
        }
        #expect(staging.size == Int64(written.count))
        #expect(written.count > 3 * window, "the bytes span several windows")
        let destination = sandbox.folder.appendingPathComponent("staged.bin").path
        let sha256 = try staging.commit(to: destination, overwrite: false)
        #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == written)
        #expect(try sha256sum(destination) == sha256)
    }

    @Test("the same content under another name returns the existing item and logs the provenance")
    func dedup() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.ingest("a.bin", "same bytes")
        let second = try sandbox.ingest("b.bin", "same bytes")
        #expect(second.wasDuplicate)
        #expect(second.item.id == first.item.id)
        #expect(second.summary == "already in the library as \(first.item.id), same SHA-256")
        #expect(try sandbox.library.items(matching: ItemFilter()).total == 1)
        let events = try sandbox.library.events(item: first.item.id)
        #expect(events.map(\.kind) == ["ingest", "duplicate"])
    }

    @Test("ids resolve by unique prefix or full SHA-256; nothing or several is an error")
    func prefixes() throws {
        let sandbox = try Sandbox()
        var items: [Item] = []
        for index in 0..<40 { items.append(try sandbox.ingest("f\(index)", "content \(index)").item) }
        let one = items[0]
        #expect(try sandbox.library.item(String(one.id.prefix(8))).id == one.id)
        #expect(try sandbox.library.item(one.sha256).id == one.id)
        #expect(throws: LibraryError.noSuchItem("zzzz")) { try sandbox.library.item("zzzz") }
        let shared = Dictionary(grouping: items, by: { $0.id.prefix(1) }).first { $0.value.count > 1 }
        let prefix = try #require(shared.map { String($0.key) })
        #expect {
            try sandbox.library.item(prefix)
        } throws: { error in
            if case LibraryError.ambiguousItem(prefix, _) = error { return true }
            return false
        }
    }
}

@Suite("library: lineage, saves and gc")
struct LineageTests {
    @Test("a stitched item keeps its three inputs in order, recursively")
    func lineageTree() throws {
        let sandbox = try Sandbox()
        let inputs = try ["c", "a", "b"].map { try sandbox.ingest("\($0).bin", "clip \($0)").item }
        let episode = try sandbox.ingest(
            "episode.bin", "episode",
            inputs: inputs.enumerated().map { LineageInput(itemID: $1.id, role: "input", ordinal: $0) }
        ).item
        let poster = try sandbox.ingest(
            "poster.bin", "poster", inputs: [LineageInput(itemID: episode.id, role: "thumbnail-of", ordinal: 0)]
        ).item
        let tree = try sandbox.library.lineage(of: episode.id)
        #expect(tree.item.id == episode.id)
        #expect(tree.inputs.map(\.item.name) == ["c.bin", "a.bin", "b.bin"])
        #expect(tree.inputs.map(\.ordinal) == [0, 1, 2])
        #expect(tree.derived.map(\.item.id) == [poster.id])
        #expect(try sandbox.library.lineage(of: poster.id).inputs.first?.inputs.count == 3)
    }

    @Test("delete refuses an item others derive from, unless forced; then it stays in their lineage as deleted")
    func deleteDependents() throws {
        let sandbox = try Sandbox()
        let clip = try sandbox.ingest("a.bin", "a").item
        let episode = try sandbox.ingest(
            "e.bin", "e", inputs: [LineageInput(itemID: clip.id, role: "input", ordinal: 0)]
        )
        .item
        #expect(throws: LibraryError.hasDependents(id: clip.id, dependents: [episode.id])) {
            try sandbox.library.delete(clip.id)
        }
        _ = try sandbox.library.delete(clip.id, force: true)
        #expect(!FileManager.default.fileExists(atPath: clip.path))
        let inputs = try sandbox.library.lineage(of: episode.id).inputs
        #expect(inputs.map(\.item.id) == [clip.id] && inputs.map(\.item.sha256) == [clip.sha256])
        #expect(inputs.allSatisfy { $0.deletedAt != nil } && inputs.map(\.item.name) == ["a.bin"])
        #expect(throws: LibraryError.noSuchItem(clip.id)) { try sandbox.library.item(clip.id) }
        #expect(try sandbox.library.verify(repair: false).findings.isEmpty)
    }

    @Test("delete refuses a saved item unless forced")
    func deleteSaved() throws {
        let sandbox = try Sandbox()
        let kept = try sandbox.ingest("k.bin", "kept", save: true).item
        #expect(throws: LibraryError.isSaved(id: kept.id)) { try sandbox.library.delete(kept.id) }
        #expect(FileManager.default.fileExists(atPath: kept.path))
        _ = try sandbox.library.delete(kept.id, force: true)
        #expect(!FileManager.default.fileExists(atPath: kept.path))
    }

    @Test("gc touches only drafts older than the cut-off, and keeps drafts a saved item was made from")
    func garbage() throws {
        let sandbox = try Sandbox()
        let input = try sandbox.ingest("in.bin", "input draft").item
        let kept = try sandbox.ingest(
            "saved.bin", "saved", inputs: [LineageInput(itemID: input.id, role: "input", ordinal: 0)], save: true
        ).item
        let old = try sandbox.ingest("old.bin", "old draft").item
        let dry = try sandbox.library.collectGarbage(createdBefore: Date().addingTimeInterval(60), apply: false)
        #expect(dry.items.map(\.id) == [old.id])
        #expect(dry.bytes == old.size)
        #expect(FileManager.default.fileExists(atPath: old.path), "a dry run deletes nothing")
        let none = try sandbox.library.collectGarbage(createdBefore: Date().addingTimeInterval(-60), apply: true)
        #expect(none.items.isEmpty, "nothing is older than a minute ago")
        _ = try sandbox.library.collectGarbage(createdBefore: Date().addingTimeInterval(60), apply: true)
        #expect(!FileManager.default.fileExists(atPath: old.path))
        #expect(try sandbox.library.item(kept.id).saved)
        #expect(try sandbox.library.item(input.id).id == input.id)
        #expect(try sandbox.library.items(matching: ItemFilter()).total == 2)
    }
}

@Suite("library: list pages")
struct ListPageTests {
    @Test("a page gives each item its own generation and remote copies, newest first, as one item at a time does")
    func pageItemsKeepTheirDetails() throws {
        let sandbox = try Sandbox()
        var ids: [String] = []
        for (index, provider) in ["runway", nil, "luma"].enumerated() {
            let result = try sandbox.library.ingest(
                copying: try sandbox.file("clip\(index).bin", "clip \(index)"),
                IngestRequest(
                    name: "clip\(index).bin", kind: .other, ext: "bin",
                    sourceType: provider == nil ? .uploaded : .generated,
                    generation: provider.map { GenerationInfo(provider: $0, prompt: "take \(index)", params: [:]) },
                    origin: "clip\(index)"))
            ids.append(result.item.id)
        }
        try sandbox.library.database.write { db in
            for (id, remote) in [(ids[0], "b2"), (ids[0], "a1"), (ids[2], "c3")] {
                try db.execute(
                    sql: "INSERT INTO remote_copies (item_id, remote, key, status) VALUES (?, ?, ?, 'done')",
                    arguments: [id, remote, "\(remote)/\(id)"])
            }
            // Distinct times, so newest first is a known order: clip2, clip1, clip0.
            for (offset, id) in ids.enumerated() {
                try db.execute(
                    sql: "UPDATE items SET created_at = ? WHERE id = ?",
                    arguments: [Date(timeIntervalSince1970: 1_800_000_000 + Double(offset)), id])
            }
        }
        let page = try sandbox.library.items(matching: ItemFilter(), perPage: 2)
        #expect(page.total == 3)
        #expect(page.items.map(\.name) == ["clip2.bin", "clip1.bin"])
        #expect(page.items == (try [ids[2], ids[1]].map { try sandbox.library.item($0) }))
        #expect(page.items.map { $0.remotes.map(\.remote) } == [["c3"], []])
        #expect(page.items.map { $0.generation?.provider } == ["luma", nil])
        let second = try sandbox.library.items(matching: ItemFilter(), page: 2, perPage: 2)
        #expect(second.items.map(\.name) == ["clip0.bin"])
        #expect(second.items.first?.remotes.map(\.remote) == ["a1", "b2"])
        #expect(second.items.first?.generation?.prompt == "take 0")
    }

    @Test("a deep page is a keyset query on the newest-first index, without sorting the table or an OFFSET")
    func pageUsesTheIndex() throws {
        let sandbox = try Sandbox()
        let details = try sandbox.library.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT * FROM items WHERE \(PageIndex.after)
                    ORDER BY created_at DESC, id LIMIT 50
                    """, arguments: ["2026-01-01 00:00:00.000", "2026-01-01 00:00:00.000", "abc"]
            ).map { $0["detail"] as String }
        }
        // A seek into the index at the key (SEARCH … (created_at<?)), not a walk from its first entry (SCAN).
        #expect(details.contains { $0.contains("SEARCH items USING INDEX items_newest") }, "\(details)")
        #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
    }

    @Test("every page of a kept listing equals the catalog's own OFFSET query, also after other connections change it")
    func pagesFollowTheCatalog() throws {
        let sandbox = try Sandbox()
        for index in 0..<23 { _ = try sandbox.ingest("clip\(index).bin", "clip \(index)", save: index % 3 == 0) }
        // Another connection, as another process would be: the oracle, and the writer of the changes.
        let other = try DatabaseQueue(path: sandbox.folder.appendingPathComponent("lib/catalog.sqlite").path)
        // Ties in time (four items per second), so the id decides the order within a second.
        try other.write { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM items ORDER BY name")
            for (offset, id) in ids.enumerated() {
                try db.execute(
                    sql: "UPDATE items SET created_at = ? WHERE id = ?",
                    arguments: [Date(timeIntervalSince1970: 1_800_000_000 + Double(offset / 4)), id])
            }
        }
        func expectPagesMatch(_ filter: ItemFilter, saved: String, _ comment: Comment) throws {
            let oracle = try other.read { db in
                try String.fetchAll(
                    db, sql: "SELECT id FROM items WHERE \(saved) ORDER BY created_at DESC, id ASC")
            }
            for perPage in [1, 5, 50] {
                for page in 1...(oracle.count / perPage + 2) {
                    let listed = try sandbox.library.items(matching: filter, page: page, perPage: perPage)
                    let expected = Array(oracle.dropFirst((page - 1) * perPage).prefix(perPage))
                    #expect(listed.items.map(\.id) == expected, "page \(page) of \(perPage): \(comment)")
                    #expect(listed.total == oracle.count, "\(comment)")
                }
            }
        }
        try expectPagesMatch(ItemFilter(), saved: "1", "as ingested")
        try expectPagesMatch(ItemFilter(saved: true), saved: "saved", "saved only")

        try other.write { db in
            try db.execute(sql: "DELETE FROM items WHERE id = (SELECT id FROM items WHERE NOT saved LIMIT 1)")
            try db.execute(sql: "UPDATE items SET saved = 1 WHERE id = (SELECT id FROM items WHERE NOT saved LIMIT 1)")
            try db.execute(
                sql: """
                    INSERT INTO items (id, name, kind, sha256, size, ext, mime, source_type, created_at, saved)
                    VALUES ('000new', 'new.bin', 'other', 'feed', 3, 'bin', 'application/octet-stream',
                    'uploaded', ?, 1)
                    """, arguments: [Date(timeIntervalSince1970: 1_800_000_002)])
        }
        try expectPagesMatch(ItemFilter(), saved: "1", "after a delete and an insert by another connection")
        try expectPagesMatch(ItemFilter(saved: true), saved: "saved", "after another connection saved one")
    }
}

@Suite("library: gc and live runs")
struct LiveRunGarbageTests {
    private func run(_ id: String, status: String) -> RunRecord {
        RunRecord(
            id: id, pipelineName: "p", pipelinePath: "/p.json", pipelineSHA256: "", definitionJSON: "{}",
            paramsJSON: "{}", status: status, startedAt: Date(), finishedAt: nil, manifestJSON: nil, stages: [])
    }

    private func stage(using item: Item) -> RunRecord.Stage {
        RunRecord.Stage(
            id: "clip", type: "fetch", status: "ok", cacheKey: "k", cacheHit: true, startedAt: nil,
            finishedAt: Date(), seconds: nil, error: nil, outputs: [(item.id, "output", "{}")])
    }

    @Test("gc keeps a draft a live run's stage recorded until the run ends; a gone item is not recorded")
    func liveRunKeepsItsItems() throws {
        let sandbox = try Sandbox()
        let used = try sandbox.ingest("used.bin", "used by the run").item
        let idle = try sandbox.ingest("idle.bin", "used by nobody").item
        let lease = try sandbox.library.begin(run("r1", status: "running"))
        #expect(try sandbox.library.record(stage(using: used), runID: "r1"))
        let during = try sandbox.library.collectGarbage(createdBefore: Date().addingTimeInterval(60), apply: true)
        #expect(during.items.map(\.id) == [idle.id], "only the draft no live run uses is collected")
        #expect(FileManager.default.fileExists(atPath: used.path))
        #expect(try !sandbox.library.record(stage(using: idle), runID: "r1"), "a collected item is not recorded")
        var finished = run("r1", status: "ok")
        finished.finishedAt = Date()
        try sandbox.library.finish(finished, lease: lease)
        let after = try sandbox.library.collectGarbage(createdBefore: Date().addingTimeInterval(60), apply: true)
        #expect(after.items.map(\.id) == [used.id], "once the run has ended its drafts are drafts like any other")
    }
}

@Suite("library: catalog schema and bad folders")
struct CatalogTests {
    @Test("opening twice runs no migration again; a first-schema catalog is upgraded")
    func migrations() throws {
        let folder = try Fixtures.scratchDirectory().appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A catalog as the first schema left it: only the first migration applied, with one row.
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("catalog.sqlite").path)
        try CatalogSchema.migrator.migrate(queue, upTo: "v1-items-lineage-events")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO items (id, name, kind, sha256, size, ext, mime, source_type, created_at)
                    VALUES ('abc', 'old.bin', 'other', 'abc', 3, 'bin', 'application/octet-stream', 'uploaded',
                    '2026-01-01 00:00:00.000')
                    """)
        }
        #expect(try queue.read { db in try db.tableExists("runs") } == false)
        try queue.close()
        _ = try Library(at: folder.path)
        let library = try Library(at: folder.path)
        let applied = try DatabaseQueue(path: folder.appendingPathComponent("catalog.sqlite").path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(
            applied == [
                "v1-items-lineage-events", "v2-runs", "v3-library-tombstones", "v3-remote-key-unique", "v4-batches",
                "v5-items-newest", "v6-catalog-version",
            ])
        #expect(try library.items(matching: ItemFilter()).items.map(\.name) == ["old.bin"])
    }

    @Test("a second-schema catalog keeps its lineage through the tombstones migration, and the catalog guards it")
    func tombstonesMigration() throws {
        let folder = try Fixtures.scratchDirectory().appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let catalog = folder.appendingPathComponent("catalog.sqlite").path
        let queue = try DatabaseQueue(path: catalog)
        try CatalogSchema.migrator.migrate(queue, upTo: "v2-runs")
        try queue.write { db in
            for id in ["in", "out"] {
                try db.execute(
                    sql: """
                        INSERT INTO items (id, name, kind, sha256, size, ext, mime, source_type, created_at)
                        VALUES (?, ?, 'other', ?, 1, 'bin', 'application/octet-stream', 'uploaded',
                        '2026-01-01 00:00:00.000')
                        """, arguments: [id, "\(id).bin", id])
            }
            try db.execute(
                sql: "INSERT INTO lineage (item_id, input_id, ordinal, role) VALUES ('out', 'in', 0, 'input')")
        }
        try queue.close()
        _ = try Library(at: folder.path)
        let upgraded = try DatabaseQueue(path: catalog)
        let edges = try upgraded.read { db in try Row.fetchAll(db, sql: "SELECT item_id, input_id FROM lineage") }
        #expect(edges.map { [$0["item_id"] as String, $0["input_id"] as String] } == [["out", "in"]])
        // What the foreign key used to refuse, the catalog still refuses.
        #expect(throws: DatabaseError.self) {
            try upgraded.write { db in try db.execute(sql: "DELETE FROM items WHERE id = 'in'") }
        }
        #expect(throws: DatabaseError.self) {
            try upgraded.write { db in
                try db.execute(
                    sql: "INSERT INTO lineage (item_id, input_id, ordinal, role) VALUES ('out', 'no', 1, 'input')")
            }
        }
    }

    @Test("a catalog from a newer Reel is refused, unchanged")
    func newerSchema() throws {
        let sandbox = try Sandbox()
        let catalog = sandbox.folder.appendingPathComponent("lib/catalog.sqlite").path
        try DatabaseQueue(path: catalog).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')")
        }
        #expect(
            throws: LibraryError.newerSchema(
                path: sandbox.folder.appendingPathComponent("lib").path, unknown: ["v99-from-the-future"])
        ) {
            try Library(at: sandbox.folder.appendingPathComponent("lib").path)
        }
    }

    @Test("a folder with other things in it is not taken over")
    func notALibrary() throws {
        let folder = try Fixtures.scratchDirectory()
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        #expect(throws: LibraryError.notALibrary(path: folder.path)) { try Library(at: folder.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
    }
}

@Suite("library: verify finds and repairs")
struct VerifyTests {
    @Test("staging leftovers, orphan, missing and corrupt objects are found; repair clears what it can")
    func findings() throws {
        let sandbox = try Sandbox()
        let root = sandbox.folder.appendingPathComponent("lib").path
        let kept = try sandbox.ingest("kept.bin", "kept").item
        let gone = try sandbox.ingest("gone.bin", "gone").item
        let damaged = try sandbox.ingest("damaged.bin", "damaged").item
        try FileManager.default.removeItem(atPath: gone.path)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: damaged.path))
        try Data("half".utf8).write(to: URL(fileURLWithPath: root + "/staging/crashed.part"))
        try FileManager.default.createDirectory(atPath: root + "/objects/ff", withIntermediateDirectories: true)
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: root + "/objects/ff/ff00.bin"))

        let report = try sandbox.library.verify(repair: false)
        #expect(report.checkedObjects == 2)
        let kinds = Dictionary(grouping: report.findings, by: \.kind).mapValues { $0.map(\.path) }
        #expect(kinds[.stagingLeftover] == [root + "/staging/crashed.part"])
        #expect(kinds[.orphanObject] == [root + "/objects/ff/ff00.bin"])
        #expect(kinds[.missingObject] == [gone.path])
        #expect(kinds[.corruptObject] == [damaged.path])

        let repaired = try sandbox.library.verify(repair: true)
        #expect(repaired.findings.filter { !$0.repaired }.map(\.kind) == [.corruptObject])
        let after = try sandbox.library.verify(repair: false)
        #expect(after.findings.map(\.kind) == [.corruptObject])
        #expect(throws: LibraryError.noSuchItem(gone.id)) { try sandbox.library.item(gone.id) }
        #expect(try sandbox.library.item(kept.id).id == kept.id)
    }
}

@Suite("library: a catalog write that fails leaves nothing behind")
struct FailedWriteTests {
    @Test("an ingest whose lineage input was deleted fails, and its file does not stay in objects/")
    func inputDeleted() throws {
        let sandbox = try Sandbox()
        let root = sandbox.folder.appendingPathComponent("lib").path
        let input = try sandbox.ingest("in.bin", "input").item
        _ = try sandbox.library.delete(input.id)
        #expect(throws: LibraryError.noSuchItem(input.id)) {
            try sandbox.ingest(
                "out.bin", "derived", inputs: [LineageInput(itemID: input.id, role: "input", ordinal: 0)])
        }
        let objects = FileManager.default.enumerator(atPath: root + "/objects")?.allObjects as? [String] ?? []
        #expect(objects.filter { $0.hasSuffix(".bin") }.isEmpty, "the renamed object was cleaned up: \(objects)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/staging").isEmpty)
        #expect(try sandbox.library.verify(repair: false).findings.isEmpty)
        #expect(try sandbox.library.items(matching: ItemFilter()).total == 0)
    }
}

@Suite("library: files go after the rows")
struct RemovalTests {
    @Test("a delete's unlink after its commit spares the file a re-import of the same bytes put there meanwhile")
    func unlinkSparesReimport() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.ingest("a.bin", "same bytes").item
        // The delete's transaction, as delete runs it: the rows go and the commit happens, the file stays.
        let path = try sandbox.library.writing { db in
            try sandbox.library.removeItem(db, try #require(try ItemRecord.fetchOne(db, key: first.id)), reason: "test")
        }
        #expect(path == first.path && FileManager.default.fileExists(atPath: path))
        // Another ingest of the same bytes gets in before the unlink and names that path again.
        let again = try sandbox.ingest("b.bin", "same bytes")
        #expect(!again.wasDuplicate && again.item.path == path)
        sandbox.library.unlinkUnnamedObjects([path])
        #expect(try sha256sum(path) == again.item.sha256, "the re-imported item keeps its file")
        #expect(try sandbox.library.verify(repair: false).findings.isEmpty)
        // Once no row names it, the same call removes it.
        let second = try sandbox.library.writing { db in
            try sandbox.library.removeItem(
                db, try #require(try ItemRecord.fetchOne(db, key: again.item.id)), reason: "test")
        }
        sandbox.library.unlinkUnnamedObjects([second])
        #expect(!FileManager.default.fileExists(atPath: second))
    }
}
