import Foundation

/// The one rule for writing where the user pointed: something that exists is replaced only when they asked
/// (`--force`), and the refusal reads the same from every command.
public enum Overwrite {
    /// Throws ``LibraryError/exists(_:)`` when `path` exists and replacing it is not `allowed`.
    public static func check(_ path: String, allowed: Bool) throws(LibraryError) {
        if !allowed && FileManager.default.fileExists(atPath: path) { throw .exists(path) }
    }
}
