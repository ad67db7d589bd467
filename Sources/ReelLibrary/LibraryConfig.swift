import Foundation

/// The library's config file, `config.json`: settings and named remotes. Never holds credentials.
public struct LibraryConfig: Sendable, Codable, Equatable {
    public var version: Int = 1
    /// Named remotes (filled by `reel remote add`); the values are kept as JSON objects.
    public var remotes: [String: [String: String]] = [:]

    public init() {}

    /// Reads the config file.
    public static func load(from path: String) throws(LibraryError) -> LibraryConfig {
        do {
            return try JSONDecoder().decode(LibraryConfig.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, detail: "not a valid config file (\(error))")
        }
    }

    /// Writes the config atomically (temporary file, fsync, rename).
    public func write(to path: String) throws(LibraryError) {
        let encoder = JSONEncoder.sorted
        encoder.outputFormatting.insert(.prettyPrinted)
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .writeFailed(path: path, detail: "\(error)")
        }
    }
}
