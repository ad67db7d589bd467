import Foundation
import ReelTestSupport
import Testing

/// `library delete` of what a user asked to keep, or of what other items were made from.
@Suite("library: deleting saved items and inputs", .serialized)
struct LibraryTombstoneTests {
    @Test("delete refuses a saved item unless --force, and changes nothing when it refuses")
    func savedNeedsForce() throws {
        let scratch = try LibraryScratch()
        let source = try scratch.file("keep.bin", bytes: 1000)
        #expect(try scratch.reel(["library", "import", "--kind", "other", "--save", source]).status == 0)
        let row = try #require(try scratch.catalogRows().first)
        let refused = try scratch.reel(["library", "delete", row.id])
        #expect(refused.status == 1)
        #expect(refused.stderr == "reel library delete: item \(row.id) is saved; use --force to delete it anyway\n")
        #expect(try scratch.catalogRows() == [row])
        #expect(try scratch.sha256sum(scratch.objectPath(row)) == row.sha256)
        let forced = try scratch.reel(["library", "delete", row.id, "--force"])
        #expect(forced.status == 0 && forced.stdout.hasPrefix("deleted \(row.id) keep.bin"), "\(forced.stderr)")
        #expect(try scratch.catalogRows().isEmpty)
    }

    @Test("a forced delete of an input keeps a tombstone: lineage names it, nothing else shows it, the bytes revive it")
    func tombstone() throws {
        let scratch = try LibraryScratch()
        let (clip, thumbnails) = try scratch.thumbnails(1)
        let thumbnail = thumbnails[0]
        let clipRow = try #require(try scratch.catalogRows().first { $0.id == clip })
        let clipFile = try Fixtures.tenSeconds()
        let clipName = (clipFile as NSString).lastPathComponent

        let refused = try scratch.reel(["library", "delete", clip])
        #expect(refused.status == 1 && refused.stderr.contains("is an input of \(thumbnail); use --force"))
        #expect(try scratch.reel(["library", "delete", clip, "--force"]).status == 0)

        let tree = try scratch.reel(["library", "lineage", thumbnail]).stdout
        #expect(tree.contains("(deleted) \(clipName) sha256 \(clipRow.sha256.prefix(16))"), "\(tree)")
        let json = try #require(try scratch.json(["library", "lineage", thumbnail]) as? [String: Any])
        let input = try #require((json["inputs"] as? [[String: Any]])?.first)
        #expect(input["id"] as? String == clip && input["sha256"] as? String == clipRow.sha256)
        #expect(input["deleted"] as? Bool == true && input["role"] as? String == "thumbnail-of")

        let rows = try scratch.catalogRows()
        #expect(rows.map(\.id) == [thumbnail])
        #expect(Array(try scratch.listed().keys) == rows.map(\.sha256), "list shows only the thumbnail")
        let found = try scratch.json(["library", "find", String(clipRow.sha256.prefix(10))]) as? [String: Any]
        #expect(found?["total"] as? Int == 0 && (found?["items"] as? [Any])?.isEmpty == true)
        let stats = try #require(try scratch.json(["library", "stats"]) as? [String: Any])
        #expect((stats["total"] as? [String: Int])?["count"] == 1)
        #expect(try scratch.reel(["library", "show", clip]).status == 1)
        #expect(try scratch.reel(["library", "verify"]).stdout == "1 object checked, 0 problems\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.objectPath(clipRow)))

        let revived = try scratch.reel(["library", "import", clipFile])
        #expect(revived.status == 0, "\(revived.stderr)")
        #expect(revived.stdout.contains("restored deleted item \(clip)"), "\(revived.stdout)")
        #expect(try scratch.catalogRows().map(\.id).sorted() == [clip, thumbnail].sorted())
        let healed = try #require(try scratch.json(["library", "lineage", thumbnail]) as? [String: Any])
        let again = try #require((healed["inputs"] as? [[String: Any]])?.first)
        #expect(again["id"] as? String == clip && again["deleted"] as? Bool == false)
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        #expect(try scratch.reel(["library", "verify"]).stdout == "2 objects checked, 0 problems\n")
    }

    @Test("gc collecting the last item made from a tombstone removes the tombstone too")
    func tombstoneCollected() throws {
        let scratch = try LibraryScratch()
        let (clip, thumbnails) = try scratch.thumbnails(2)
        #expect(try scratch.reel(["library", "delete", clip, "--force"]).status == 0)
        #expect(try scratch.query("SELECT id FROM tombstones") == [[clip]])
        #expect(try scratch.reel(["library", "delete", thumbnails[0]]).status == 0)
        #expect(try scratch.query("SELECT id FROM tombstones") == [[clip]], "one item still names it")
        #expect(try scratch.reel(["library", "gc", "--unsaved-older-than", "0s", "--apply"]).status == 0)
        #expect(try scratch.catalogRows().isEmpty)
        #expect(try scratch.query("SELECT COUNT(*) FROM tombstones") == [["0"]])
        #expect(try scratch.query("SELECT COUNT(*) FROM lineage") == [["0"]])
        #expect(scratch.objectFiles().isEmpty)
    }
}
