import Foundation
import ReelAV

/// The per-frame checksum file `reel verify --write-checksums` writes and `checksums` expectations read:
/// a header line, then `stream,type,time,md5` per frame.
public enum FrameChecksumFile {
    static let header = "# reel frame checksums v1: stream,type,time,md5"

    /// The file's text for `checksums`.
    public static func render(_ checksums: [FrameChecksum]) -> String {
        ([header] + checksums.map { "\($0.stream),\($0.type.rawValue),\(String(format: "%.6f", $0.time)),\($0.md5)" })
            .joined(separator: "\n") + "\n"
    }

    /// Reads a checksum file; a malformed line is an error naming its number.
    public static func load(contentsOf path: String) throws -> [FrameChecksum] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var checksums: [FrameChecksum] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count == 4, let stream = Int(fields[0]), let type = MediaType(rawValue: fields[1]),
                let time = Double(fields[2]), fields[3].count == 32
            else {
                throw VerifyError.malformedChecksums(file: path, line: number + 1)
            }
            checksums.append(FrameChecksum(stream: stream, type: type, time: time, md5: fields[3]))
        }
        return checksums
    }
}

/// Why a verification could not be made (as opposed to a check that failed).
public enum VerifyError: Error, Sendable, CustomStringConvertible {
    case malformedChecksums(file: String, line: Int)

    public var description: String {
        switch self {
        case .malformedChecksums(let file, let line):
            "\(file): line \(line) is not \"stream,type,time,md5\""
        }
    }
}
