import Foundation
import ReelTestSupport
import Testing

@testable import ReelLibrary

private func item(id: String = "0123456789ab", name: String = "Episode 3.mp4", ext: String = "mp4") -> Item {
    Item(
        id: id, name: name, kind: .video, sha256: id + String(repeating: "f", count: 64 - id.count), size: 10,
        ext: ext, sourceType: .stitched, saved: false, createdAt: Date(), savedAt: nil, path: "/x", media: nil,
        generation: nil, remotes: [])
}

@Suite("remotes: key templates, config and records")
struct RemoteConfigTests {
    @Test("a key template fills item names, params and the date, and each ${uuid} is new")
    func keyTemplate() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-01T23:59:59Z"))
        let template = KeyTemplate("campaigns/${campaign}/${date}/${name}-${id}.${ext}")
        let key = try template.expand(for: item(), values: ["campaign": "456"], now: now)
        #expect(key == "campaigns/456/2026-12-01/Episode 3-0123456789ab.mp4")
        #expect(try KeyTemplate("${sha256}").expand(for: item()) == item().sha256)
        let first = try KeyTemplate("v/${uuid}.${ext}").expand(for: item())
        let second = try KeyTemplate("v/${uuid}.${ext}").expand(for: item())
        #expect(first != second && first.count == "v/".count + 36 + ".mp4".count)
    }

    @Test("an unknown name, an unclosed ${ or a key that climbs out with .. is refused, naming the template")
    func badTemplates() {
        #expect(throws: LibraryError.self) { try KeyTemplate("a/${campain}.mp4").expand(for: item()) }
        #expect(throws: LibraryError.self) { try KeyTemplate("a/${id.mp4").expand(for: item()) }
        #expect(throws: LibraryError.self) { try KeyTemplate("../${id}").expand(for: item()) }
        do {
            _ = try KeyTemplate("a/${campain}.mp4").expand(for: item(), values: ["campaign": "1"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("${campain}") && "\(error)".contains("campaign"))
        }
    }

    @Test("no value may take a built-in name; ${stage} is known only when a stage is given")
    func builtInNames() throws {
        for name in ["id", "sha256", "ext", "name", "uuid", "date", "stage"] {
            #expect(KeyTemplate.reservedNameProblem(name)?.contains("${\(name)} is a built-in") == true, "\(name)")
            #expect(throws: LibraryError.self, "\(name)") {
                try KeyTemplate("v/${\(name)}").expand(for: item(), values: [name: "x"])
            }
        }
        #expect(KeyTemplate.reservedNameProblem("campaign") == nil)
        #expect(try KeyTemplate("v/${stage}/${id}").expand(for: item(), stage: "keep") == "v/keep/0123456789ab")
        #expect(throws: LibraryError.self) { try KeyTemplate("v/${stage}").expand(for: item()) }
    }

    @Test("a unique key puts -ID before the extension of the last segment only")
    func uniqueKeys() {
        let cases = [
            "v/ep.mp4": "v/ep-ID.mp4", "v/ep": "v/ep-ID", "ep.tar.gz": "ep.tar-ID.gz", "v.1/ep": "v.1/ep-ID",
            "v/.hidden": "v/.hidden-ID", "a//b.mp4": "a//b-ID.mp4",
        ]
        for (key, unique) in cases { #expect(KeyTemplate.uniqueKey(key, itemID: "ID") == unique, "\(key)") }
    }

    @Test("remote settings are checked: name, endpoint URL, bucket name")
    func validation() throws {
        let good = RemoteConfig(endpoint: "https://s3.eu-west-1.amazonaws.com", bucket: "media-1")
        try RemoteConfig.validate(name: "aws_eu-1", good)
        #expect(throws: LibraryError.self) { try RemoteConfig.validate(name: "bad name", good) }
        #expect(throws: LibraryError.self) {
            try RemoteConfig.validate(name: "r", RemoteConfig(endpoint: "s3.amazonaws.com", bucket: "media"))
        }
        #expect(throws: LibraryError.self) {
            try RemoteConfig.validate(name: "r", RemoteConfig(endpoint: "https://x.test", bucket: "Media_Bucket"))
        }
    }

    @Test("recorded URLs: the public base when given, else path-style or virtual-host addressing, keys encoded")
    func urls() {
        let key = "campaigns/4 5/a+b.mp4"
        #expect(
            RemoteConfig(endpoint: "http://127.0.0.1:9000/", bucket: "media", pathStyle: true).url(forKey: key)
                == "http://127.0.0.1:9000/media/campaigns/4%205/a%2Bb.mp4")
        #expect(
            RemoteConfig(endpoint: "https://s3.eu-west-1.amazonaws.com", bucket: "media").url(forKey: key)
                == "https://media.s3.eu-west-1.amazonaws.com/campaigns/4%205/a%2Bb.mp4")
        #expect(
            RemoteConfig(endpoint: "https://x.r2.cloudflarestorage.com", bucket: "m", publicURL: "https://cdn.test/")
                .url(forKey: key) == "https://cdn.test/campaigns/4%205/a%2Bb.mp4")
    }

    @Test("credentials are looked up per remote first, then the AWS variables")
    func credentialVariables() {
        let variables = RemoteConfig.credentialVariables(for: "my-r2")
        #expect(variables.map(\.id) == ["REEL_REMOTE_MY_R2_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"])
        #expect(variables.map(\.secret) == ["REEL_REMOTE_MY_R2_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"])
    }

    @Test("remotes survive in config.json, and two writers editing it at once lose neither remote")
    func configRoundTrip() async throws {
        let folder = try Fixtures.scratchDirectory().appendingPathComponent("lib").path
        let library = try Library(at: folder)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    _ = try? library.updateConfig { config in
                        config.remotes["r\(index)"] = RemoteConfig(endpoint: "http://127.0.0.1:1", bucket: "b-\(index)")
                    }
                }
            }
        }
        let reopened = try Library(at: folder).config()
        #expect(reopened.remotes.keys.sorted() == (0..<8).map { "r\($0)" })
        #expect(reopened.remotes["r3"]?.bucket == "b-3")
        let text = try String(contentsOfFile: folder + "/config.json", encoding: .utf8)
        #expect(!text.lowercased().contains("secret"))
    }

    @Test("a pending copy is listed for sync until its upload is recorded, and recording it saves the item")
    func pendingThenDone() throws {
        let folder = try Fixtures.scratchDirectory()
        let library = try Library(at: folder.appendingPathComponent("lib").path)
        let source = folder.appendingPathComponent("a.bin").path
        try Data("pending bytes".utf8).write(to: URL(fileURLWithPath: source))
        let ingested = try library.ingest(
            copying: source, IngestRequest(name: "a.bin", kind: .other, ext: "bin", sourceType: .uploaded, origin: "a"))
        let id = ingested.item.id
        try library.markUpload(of: id, to: "r2", key: "k/a.bin", status: .failed, error: "access denied")
        #expect(try library.pendingUploads().map(\.item.id) == [id])
        #expect(try library.stats().remotes["r2"]?["failed"] == 1)
        let saved = try library.recordUpload(
            of: id, to: "r2", key: "k/a.bin", url: "http://x/k/a.bin", etag: "\"e\"", checksum: nil)
        #expect(saved.saved && saved.remotes.first?.status == .done && saved.remotes.first?.error == nil)
        #expect(try library.pendingUploads().isEmpty)
        #expect(try library.stats().remotes["r2"]?["done"] == 1)
    }

    @Test("a remote key is claimed by one item only; the claim is given back as it was")
    func claims() throws {
        let folder = try Fixtures.scratchDirectory()
        let library = try Library(at: folder.appendingPathComponent("lib").path)
        let ids = try (0..<2).map { index in
            let source = folder.appendingPathComponent("\(index).bin").path
            try Data("claim \(index)".utf8).write(to: URL(fileURLWithPath: source))
            return try library.ingest(
                copying: source,
                IngestRequest(name: "\(index).bin", kind: .other, ext: "bin", sourceType: .uploaded, origin: "t")
            ).item.id
        }
        #expect(try library.claimUpload(of: ids[0], to: "r2", key: "k.bin") == nil)
        #expect(try library.claimUpload(of: ids[0], to: "r2", key: "k.bin") == nil, "claiming again is fine")
        #expect(
            try library.claimUpload(of: ids[1], to: "r2", key: "k.bin")
                == RemoteKeyHolder(itemID: ids[0], status: .pending))
        #expect(try library.claimUpload(of: ids[1], to: "other", key: "k.bin") == nil, "another remote is another key")
        #expect(try library.remoteCopy(of: ids[1], on: "r2") == nil, "a refused claim writes nothing")
        try library.releaseUpload(of: ids[0], to: "r2", restoring: nil)
        #expect(try library.remoteCopy(of: ids[0], on: "r2") == nil)
        #expect(try library.claimUpload(of: ids[1], to: "r2", key: "k.bin") == nil, "a released key is free")
    }

    @Test("only one holder of an upload lock at a time; dropping it frees it")
    func uploadLock() throws {
        let library = try Library(at: try Fixtures.scratchDirectory().appendingPathComponent("lib").path)
        var first = try library.lockUpload(of: "abc", to: "r2")
        #expect(first != nil)
        #expect(try library.lockUpload(of: "abc", to: "r2") == nil)
        #expect(try library.lockUpload(of: "abc", to: "other") != nil)
        first = nil
        #expect(try library.lockUpload(of: "abc", to: "r2") != nil)
    }
}
