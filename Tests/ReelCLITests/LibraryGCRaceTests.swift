import Foundation
import ReelTestSupport
import Testing

/// `gc --apply` racing real `reel library save` processes on one library.
@Suite("library: gc racing saves", .serialized)
struct LibraryGCRaceTests {
    @Test("saves racing gc --apply: every item a save reported saved survives whole, with the items it was made from")
    func savesRaceGC() throws {
        let scratch = try LibraryScratch()
        let (clip, thumbnails) = try scratch.thumbnails(8)
        let drafts = try scratch.importDrafts(600).map(\.id).filter { $0 != clip && !thumbnails.contains($0) }
        // Thumbnails first, then plain drafts: 40 saves of one item each, started one after another; gc starts
        // after the fourth, and the saves go on while it runs.
        let targets = (thumbnails + drafts.shuffled()).prefix(40)
        var started: Process?
        var saves: [(id: String, process: Process)] = []
        for (index, id) in targets.enumerated() {
            if index == 4 { started = try scratch.start(["library", "gc", "--unsaved-older-than", "0s", "--apply"]) }
            if let started, !started.isRunning { break }
            saves.append((id, try scratch.start(["library", "save", id])))
            usleep(10000)
        }
        let gc = try #require(started)
        gc.waitUntilExit()
        #expect(gc.terminationStatus == 0)
        var saved: Set<String> = []
        for save in saves {
            save.process.waitUntilExit()
            // A save that came after gc deleted its item fails ("no item matches"); one that succeeded must hold.
            if save.process.terminationStatus == 0 { saved.insert(save.id) }
        }
        #expect(!saved.isEmpty, "no save succeeded: nothing was checked")
        let rows = Dictionary(uniqueKeysWithValues: try scratch.catalogRows().map { ($0.id, $0) })
        let lostSaves = saved.filter { rows[$0]?.saved != true }
        #expect(lostSaves.isEmpty, "saved items collected by gc: \(lostSaves.sorted())")
        if !saved.isDisjoint(with: thumbnails) {
            #expect(rows[clip] != nil, "the clip a saved thumbnail was made from was collected")
        }
        #expect(try scratch.rowsWithoutTheirFile().isEmpty)
        print("gc race: \(saves.count) saves started, \(saved.count) succeeded")
    }
}
