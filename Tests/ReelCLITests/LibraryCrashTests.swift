import Foundation
import ReelTestSupport
import Testing

private func sha256sum(_ path: String) throws -> String { String(try Shell.run("sha256sum", [path]).stdout.prefix(64)) }

/// sha256sum of many files in one call, by path.
private func sha256sums(_ paths: [String]) throws -> [String: String] {
    let lines = try Shell.run("sha256sum", paths).stdout.split(separator: "\n")
    return Dictionary(
        lines.map { (String($0.dropFirst(66)), String($0.prefix(64))) }, uniquingKeysWith: { first, _ in first })
}

/// Starts one `reel` process per argument list, all at once, and returns their exit statuses.
private func reelConcurrently(_ runs: [[String]]) throws -> [Int32] {
    let processes = try runs.map { arguments in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
    return processes.map { process in
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Kills real `reel` processes in the middle of ingests and checks the library afterwards:
/// the whole item or nothing is visible, and `library verify --repair` clears what a crash left.
@Suite("library crash safety", .serialized)
struct LibraryCrashTests {
    enum Point: String, CaseIterable, CustomTestStringConvertible {
        case afterStagingWrite = "after-staging-write"
        case afterFsync = "after-fsync"
        case afterRename = "after-rename"
        case inTransaction = "in-transaction"
        var testDescription: String { rawValue }
        /// What `verify` should find after a crash there.
        var leftover: String {
            switch self {
            case .afterStagingWrite, .afterFsync: "staging-leftover"
            case .afterRename, .inTransaction: "orphan-object"
            }
        }
    }

    @Test(
        "SIGKILL at each step of ingest leaves nothing visible; verify reports and repairs", arguments: Point.allCases)
    func killAtPoint(_ point: Point) throws {
        let scratch = try LibraryScratch()
        let file = try scratch.file("clip.bin", bytes: 1 << 20)
        let sha = try sha256sum(file)
        try scratch.reel(["library", "init"])
        let killed = try scratch.reel(
            ["library", "import", "--kind", "other", file], environment: ["REEL_FAULT": point.rawValue])
        #expect(killed.status == 9, "the process should have been killed at \(point.rawValue)")
        #expect(try scratch.listed()[sha] == nil, "a killed ingest must not be visible")

        let verify = try scratch.reel(["library", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.hasPrefix(point.leftover + " "), "\(verify.stdout)")
        #expect(try scratch.reel(["library", "verify", "--repair"]).status == 0)
        #expect(try scratch.reel(["library", "verify"]).stdout == "0 objects checked, 0 problems\n")

        #expect(try scratch.reel(["library", "import", "--kind", "other", file]).status == 0)
        let path = try #require(try scratch.listed()[sha])
        #expect(try sha256sum(path) == sha)
    }

    @Test("SIGKILL at random moments: each time the whole item or nothing; repair leaves a clean library")
    func killAtRandom() throws {
        let scratch = try LibraryScratch()
        try scratch.reel(["library", "init"])
        var generator = SystemRandomNumberGenerator()
        var sawWhole = false
        var sawNothing = false
        for round in 0..<12 {
            let file = try scratch.file("big\(round).bin", bytes: 12 << 20, text: "round \(round)")
            let sha = try sha256sum(file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ReelBinary.path)
            process.arguments = ["library", "import", "--kind", "other", file, "--library", scratch.library]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...250_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if let path = try scratch.listed()[sha] {
                #expect(try sha256sum(path) == sha, "a visible item must be whole")
                sawWhole = true
            } else {
                sawNothing = true
            }
            #expect(try scratch.reel(["library", "verify", "--repair"]).status == 0)
            #expect(try scratch.reel(["library", "verify"]).status == 0)
        }
        // Not an assertion about timing: both outcomes are fine. Recorded so a reader sees what was exercised.
        print("random kills: saw whole items: \(sawWhole), saw nothing: \(sawNothing)")
    }
}

@Suite("library shared by several processes", .serialized)
struct LibraryConcurrencyTests {
    @Test("4 processes x 50 ingests at once: every item there, every file whole")
    func fourProcesses() throws {
        let scratch = try LibraryScratch()
        try scratch.reel(["library", "init"])
        let batches = try (0..<4).map { process in
            try (0..<50).map { index in
                try scratch.file("p\(process)-\(index).bin", bytes: 4096 + index, text: "\(process)/\(index)")
            }
        }
        let statuses = try reelConcurrently(
            batches.map { ["library", "import", "--kind", "other"] + $0 + ["--library", scratch.library] })
        #expect(statuses == [0, 0, 0, 0])
        let listed = try scratch.listed()
        #expect(listed.count == 200)
        let sources = try sha256sums(Array(batches.joined()))
        let stored = try sha256sums(Array(listed.values))
        #expect(Set(sources.values) == Set(listed.keys))
        for (sha, path) in listed { #expect(stored[path] == sha, "\(path) must hash to its name") }
        #expect(try scratch.reel(["library", "verify"]).status == 0)
    }

    @Test("two processes ingesting the same bytes at the same moment both succeed, with one item")
    func sameContent() throws {
        let scratch = try LibraryScratch()
        try scratch.reel(["library", "init"])
        for round in 0..<8 {
            let file = try scratch.file("same\(round).bin", bytes: 2 << 20, text: "same \(round)")
            let copy = scratch.folder.appendingPathComponent("copy\(round).bin").path
            try FileManager.default.copyItem(atPath: file, toPath: copy)
            let statuses = try reelConcurrently(
                [file, copy].map { ["library", "import", "--kind", "other", $0, "--library", scratch.library] })
            #expect(statuses == [0, 0])
        }
        #expect(try scratch.listed().count == 8)
        #expect(try scratch.reel(["library", "verify"]).status == 0)
    }
}
