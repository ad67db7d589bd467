import Foundation
import ReelTestSupport
import Testing

@Suite("reel probe, as a user runs it")
struct ProbeCommandTests {
    @Test("--json on one file prints one object that agrees with ffprobe")
    func jsonOneFile() throws {
        let clip = try Fixtures.h264AAC()
        let result = try ReelBinary.run(["probe", "--json", clip])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let oracle = try FFprobeReport.of(clip)
        #expect(object["path"] as? String == clip)
        #expect(object["size"] as? Int == Int(oracle.format.size ?? ""))
        let streams = try #require(object["streams"] as? [[String: Any]])
        #expect(streams.count == oracle.streams.count)
    }

    @Test("--json on several files prints an array in the order given")
    func jsonSeveralFiles() throws {
        let files = try Fixtures.samples()
        let result = try ReelBinary.run(["probe", "--json"] + files)
        #expect(result.status == 0)
        let array = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        #expect(array.compactMap { $0["path"] as? String } == files)
    }

    @Test("the human table shows one line per file and one per stream")
    func humanTable() throws {
        let clip = try Fixtures.rotated(clockwise: 90)
        let result = try ReelBinary.run(["probe", clip])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(
            lines[1].contains("video h264") && lines[1].contains("rotate 90°") && lines[1].contains("shows 180x320"))
        #expect(lines[2].contains("audio aac") && lines[2].contains("48000 Hz"))
    }

    @Test("the human table prints frame rates as ffmpeg does (29.97, 23.98, 25, 30)")
    func frameRatesAsFFmpegPrintsThem() throws {
        for rate in ["30000/1001", "24000/1001", "25", "30"] {
            let clip = try Fixtures.h264AAC(seconds: 1, size: "160x120", rate: rate)
            let oracle = try Shell.run("ffprobe", ["-hide_banner", clip]).stderr
            let expected = try #require(
                oracle.split(separator: "\n").first { $0.contains("Video:") }?.split(separator: ",")
                    .first { $0.hasSuffix(" fps") }?.trimmingCharacters(in: .whitespaces),
                "ffprobe printed no fps for \(rate): \(oracle)")
            let result = try ReelBinary.run(["probe", clip])
            #expect(result.status == 0)
            #expect(
                result.stdout.contains(" \(expected) "), "\(rate): ffprobe says \(expected); reel: \(result.stdout)")
        }
    }

    @Test("no file at all is a usage error: exit 2")
    func noArguments() throws {
        let result = try ReelBinary.run(["probe"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("Missing expected argument"))
    }

    @Test("an unknown option is a usage error: exit 2")
    func unknownOption() throws {
        let result = try ReelBinary.run(["probe", "--frobnicate", "x.mp4"])
        #expect(result.status == 2)
    }
}

/// Each kind of bad input gets exactly one line on stderr naming the command, the file and the cause, and exit 1.
@Suite("reel probe on bad input")
struct ProbeBadInputTests {
    enum BadInput: String, CaseIterable, CustomTestStringConvertible {
        case missing, directory, empty, randomBytes, textNamedMP4, truncatedMoovAtEnd
        var testDescription: String { rawValue }
    }

    static func make(_ kind: BadInput, in folder: URL) throws -> (path: String, cause: String) {
        let path = folder.appendingPathComponent("clip.mp4").path
        switch kind {
        case .missing:
            return (path, "No such file or directory")
        case .directory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return (path, "is a directory")
        case .empty:
            _ = FileManager.default.createFile(atPath: path, contents: Data())
            return (path, "file is empty")
        case .randomBytes:
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return (path, "Invalid data found when processing input")
        case .textNamedMP4:
            _ = FileManager.default.createFile(atPath: path, contents: Data("not a video, just text\n".utf8))
            return (path, "Invalid data found when processing input")
        case .truncatedMoovAtEnd:
            let whole = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.h264AAC()))
            _ = FileManager.default.createFile(atPath: path, contents: whole.prefix(whole.count * 6 / 10))
            return (path, "Invalid data found when processing input")
        }
    }

    @Test("one line naming command, file and cause; exit 1", arguments: BadInput.allCases)
    func badInput(_ kind: BadInput) throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, cause) = try Self.make(kind, in: folder)
        let result = try ReelBinary.run(["probe", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.hasPrefix("reel probe: \(path): ") == true, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(cause), "stderr: \(result.stderr)")
    }

    @Test("an unreadable file is reported as permission denied (run as an unprivileged user)")
    func unreadable() throws {
        let folder = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("secret.mp4").path
        try FileManager.default.copyItem(atPath: try Fixtures.h264AAC(), toPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        // root reads any file, so drop to `nobody` when the tests run as root.
        let result =
            getuid() == 0
            ? try Shell.run(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", ReelBinary.path, "probe", path])
            : try ReelBinary.run(["probe", path])
        #expect(result.status == 1)
        #expect(result.stderr == "reel probe: \(path): Permission denied (avformat_open_input)\n")
    }

    @Test("several files with one bad: the good ones are still reported, exit 1")
    func mixedGoodAndBad() throws {
        let good = try Fixtures.samples()
        let result = try ReelBinary.run(["probe", "--json", good[0], "/nonexistent/clip.mp4", good[1]])
        #expect(result.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        #expect(array.compactMap { $0["path"] as? String } == [good[0], good[1]])
        #expect(result.stderr == "reel probe: /nonexistent/clip.mp4: No such file or directory\n")
    }
}
