import Foundation
import ReelAV

/// Golden files, as in snapshot testing: the references and checksum files expectations name, written or
/// refreshed from an output that is known to be right, so the next run compares against them.
public enum Goldens {
    /// Writes every golden `expectation` names from `path`: its `checksums` file (the output's per-frame
    /// checksums) and its `similar_to` reference (a copy of the output). Returns the files written.
    public static func update(_ expectation: Expectation, from path: String) throws -> [String] {
        var written: [String] = []
        if let checksums = expectation.checksums {
            let text = FrameChecksumFile.render(try InputFile(path: path).frameChecksums())
            try createFolder(of: checksums)
            try Data(text.utf8).write(to: URL(fileURLWithPath: checksums), options: .atomic)
            written.append(checksums)
        }
        if let reference = expectation.similarTo?.reference {
            try copy(path, to: reference)
            written.append(reference)
        }
        return written
    }

    /// Replaces `destination` with a copy of `source` (a temporary file renamed into place), creating its folder.
    public static func copy(_ source: String, to destination: String) throws {
        try createFolder(of: destination)
        let target = URL(fileURLWithPath: destination)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: source), to: temporary)
        do {
            if FileManager.default.fileExists(atPath: destination) {
                _ = try FileManager.default.replaceItemAt(target, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: target)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private static func createFolder(of path: String) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
    }
}
