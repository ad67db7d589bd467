import Foundation
import GRDB

/// Any error as the one line a user reads: what, where and why, never a raw Foundation or SQLite dump.
public enum ErrorLine {
    /// One line for `error`: Foundation file errors name the file and the cause, SQLite errors say what they mean
    /// for the library, and any other description is kept with its line breaks folded.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DatabaseError: LibraryError(error, catalog: "(catalog)").description
        case let error as TLSError: error.description
        case let error as CocoaError: file(error.code, path: path(of: error as NSError))
        default: folded(error)
        }
    }

    /// The cause of a Foundation file error (`no such file`, `permission denied`…), for a message that already
    /// names the file; nil for any other error.
    public static func fileCause(_ error: any Error) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        return cause(CocoaError.Code(rawValue: ns.code))
    }

    /// A Foundation file error: `PATH: no such file`.
    private static func file(_ code: CocoaError.Code, path: String?) -> String {
        "\(path ?? "file"): \(cause(code))"
    }

    private static func cause(_ code: CocoaError.Code) -> String {
        switch code {
        case .fileNoSuchFile, .fileReadNoSuchFile: "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: "permission denied"
        case .fileWriteFileExists: "already exists"
        case .fileWriteOutOfSpace: "disk full"
        case .fileWriteVolumeReadOnly: "read-only file system"
        case .fileReadCorruptFile: "cannot be read (not in the expected format)"
        case .fileReadInapplicableStringEncoding: "is not UTF-8 text"
        case .fileReadTooLarge: "is too large to read"
        case .fileLocking: "is locked"
        default: code.rawValue < 512 ? "cannot be read" : "cannot be written"
        }
    }

    /// The file a Foundation error names, if any.
    private static func path(of error: NSError) -> String? {
        if let path = error.userInfo[NSFilePathErrorKey] as? String { return path }
        if let url = error.userInfo[NSURLErrorKey] as? URL { return url.path }
        return nil
    }

    /// Another error's own description, its lines joined.
    private static func folded(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain { return file(CocoaError.Code(rawValue: ns.code), path: path(of: ns)) }
        let lines = String(describing: error).split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return lines.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
