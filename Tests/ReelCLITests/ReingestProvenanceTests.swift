import Foundation
import ReelTestSupport
import Testing

/// The same bytes again with other provenance: the catalog (read with `sqlite3`) gains what it lacked, keeps what
/// it had, and its event log says which.
@Suite("re-ingest provenance")
struct ReingestProvenanceTests {
    private func generation(_ scratch: LibraryScratch, _ id: String) throws -> [[String]] {
        try scratch.query("SELECT provider, model, job_id, params_json FROM generations WHERE item_id = '\(id)'")
    }

    private func sourceType(_ scratch: LibraryScratch, _ id: String) throws -> String? {
        try scratch.query("SELECT source_type FROM items WHERE id = '\(id)'").first?.first
    }

    private func provenanceEvents(_ scratch: LibraryScratch, _ id: String) throws -> [String] {
        try scratch.query("SELECT message FROM events WHERE item_id = '\(id)' AND kind = 'provenance' ORDER BY id")
            .map { $0.joined(separator: "|") }
    }

    @Test("a generated fetch of bytes imported as uploaded records the generation, and the item becomes generated")
    func fetchAddsGeneration() async throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        #expect(try scratch.reel(["library", "import", clip]).status == 0)
        let id = String(try scratch.sha256sum(clip).prefix(12))
        #expect(try sourceType(scratch, id) == "uploaded")
        #expect(try generation(scratch, id).isEmpty)

        let server = try await HTTPTestServer.start()
        defer { Task { await server.stop() } }
        server.route("/job-9/out.mp4", .file(try Data(contentsOf: URL(fileURLWithPath: clip))))
        let fetched = try scratch.reel([
            "fetch", server.url("/job-9/out.mp4"), "--provider", "runway", "--model", "gen-4", "--job-id", "job-9",
            "--param", "seed=7",
        ])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout.contains("already in the library as \(id)"))
        #expect(fetched.stdout.contains("recorded the new provenance"))

        #expect(try sourceType(scratch, id) == "generated")
        #expect(try generation(scratch, id) == [["runway", "gen-4", "job-9", #"{"seed":"7"}"#]])
        let events = try provenanceEvents(scratch, id)
        #expect(events.count == 1)
        #expect(events.first?.contains("recorded generation details") == true)
        #expect(events.first?.contains("source type uploaded → generated") == true)
        #expect(try scratch.catalogRows().count == 1)
    }

    @Test("other generation details for an item that has some are not applied, and the event log says so")
    func differingGenerationKept() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        let first = try scratch.reel(["library", "import", clip, "--provider", "runway", "--model", "gen-4"])
        #expect(first.status == 0, "\(first.stderr)")
        let id = String(try scratch.sha256sum(clip).prefix(12))
        let again = try scratch.reel(["library", "import", clip, "--provider", "pika", "--model", "1.5"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("kept its recorded provenance"))
        #expect(try generation(scratch, id) == [["runway", "gen-4", "", "{}"]])
        let events = try provenanceEvents(scratch, id)
        #expect(events.count == 1)
        #expect(events.first?.contains("provider pika, model 1.5") == true)
        #expect(events.first?.contains("kept the recorded ones (provider runway, model gen-4)") == true)
    }

    @Test("the same provenance again changes nothing and logs no provenance event")
    func sameProvenanceIsQuiet() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        let arguments = ["library", "import", clip, "--provider", "runway", "--job-id", "j1"]
        #expect(try scratch.reel(arguments).status == 0)
        let again = try scratch.reel(arguments)
        #expect(again.status == 0 && !again.stdout.contains("provenance"))
        let id = String(try scratch.sha256sum(clip).prefix(12))
        #expect(try provenanceEvents(scratch, id).isEmpty)
        #expect(try scratch.query("SELECT count(*) FROM generations").first?.first == "1")
    }

    @Test("an uploaded import of a generated item keeps it generated and logs the disagreement")
    func uploadedDoesNotDemote() throws {
        let scratch = try LibraryScratch()
        let clip = try Fixtures.h264AAC()
        #expect(try scratch.reel(["library", "import", clip, "--provider", "runway"]).status == 0)
        let id = String(try scratch.sha256sum(clip).prefix(12))
        #expect(try scratch.reel(["library", "import", clip]).status == 0)
        #expect(try sourceType(scratch, id) == "generated")
        #expect(try generation(scratch, id).count == 1)
        #expect(try provenanceEvents(scratch, id).first?.contains("says uploaded; kept generated") == true)
    }
}
