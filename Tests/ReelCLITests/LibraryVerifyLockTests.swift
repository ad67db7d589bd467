import Foundation
import ReelTestSupport
import Testing

/// `library verify` rehashes everything; other processes must keep working on the library while it does.
@Suite("library: verify does not block writers", .serialized)
struct LibraryVerifyLockTests {
    /// Whether `process` has a file under `folder` open (it is reading it).
    private func isReading(_ process: Process, under folder: String) -> Bool {
        let fds = "/proc/\(process.processIdentifier)/fd"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? [] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(name)"),
                target.hasPrefix(folder + "/")
            {
                return true
            }
        }
        return false
    }

    @Test("imports started while verify is hashing finish while it is still hashing; verify still reports right")
    func importsDuringVerify() throws {
        let scratch = try LibraryScratch()
        // 2 GiB in 16 objects: seconds of hashing.
        let big = try (0..<16).map { index -> String in
            let path = scratch.folder.appendingPathComponent("big\(index).bin").path
            let made = try Shell.run(
                "sh", ["-c", "{ printf 'big %d' \(index); head -c 134217728 /dev/zero; } > \(path)"])
            try #require(made.status == 0)
            return path
        }
        #expect(try scratch.reel(["library", "import", "--kind", "other"] + big).status == 0)
        for path in big { try FileManager.default.removeItem(atPath: path) }
        let rows = try scratch.catalogRows()
        // One object damaged in place (same size), one orphan planted.
        let damaged = scratch.objectPath(rows[5])
        let handle = try #require(FileHandle(forWritingAtPath: damaged))
        try handle.seek(toOffset: 1000)
        try handle.write(contentsOf: Data("damage".utf8))
        try handle.close()
        let orphan = "\(scratch.library)/objects/ee/\(String(repeating: "e", count: 64)).bin"
        try FileManager.default.createDirectory(
            atPath: (orphan as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: orphan))

        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: ReelBinary.path)
        verify.arguments = ["library", "verify", "--json", "--library", scratch.library]
        let output = Pipe()
        verify.standardOutput = output
        verify.standardError = FileHandle.nullDevice
        try verify.run()
        let objects = scratch.library + "/objects"
        while verify.isRunning && !isReading(verify, under: objects) { usleep(1000) }
        try #require(verify.isRunning, "verify ended before it was seen hashing")

        var statuses: [Int32] = []
        var finishedWhileVerifying = 0
        for index in 0..<5 where verify.isRunning {
            let small = try scratch.file("small\(index).bin", bytes: 2000)
            statuses.append(try scratch.reel(["library", "import", "--kind", "other", small]).status)
            if verify.isRunning { finishedWhileVerifying += 1 }
        }
        let report = output.fileHandleForReading.readDataToEndOfFile()
        verify.waitUntilExit()
        #expect(statuses.allSatisfy { $0 == 0 }, "imports during verify: \(statuses)")
        #expect(finishedWhileVerifying >= 2, "imports waited for verify (\(finishedWhileVerifying) finished during it)")

        #expect(verify.terminationStatus == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
        let findings = (json["findings"] as? [[String: Any]] ?? []).map {
            "\($0["kind"] as? String ?? "") \($0["path"] as? String ?? "")"
        }
        #expect(findings.sorted() == ["corrupt-object \(damaged)", "orphan-object \(orphan)"], "\(findings)")
        #expect(json["checked_objects"] as? Int == rows.count)
        #expect(try scratch.catalogRows().count == rows.count + statuses.count)
    }
}
