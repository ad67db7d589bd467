import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The library's config file, `config.json`: settings and named remotes. Never holds credentials.
public struct LibraryConfig: Sendable, Codable, Equatable {
    public var version: Int = 1
    /// Named remotes (`reel remote add`).
    public var remotes: [String: RemoteConfig] = [:]

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

extension Library {
    /// The library's config as it is on disk now.
    public func config() throws(LibraryError) -> LibraryConfig { try LibraryConfig.load(from: configPath) }

    /// The remote called `name`, or an error naming the config file and the remotes it has.
    public func remote(named name: String) throws(LibraryError) -> RemoteConfig {
        let config = try config()
        guard let remote = config.remotes[name] else {
            let known = config.remotes.keys.sorted()
            throw .invalidArgument(
                "no remote named \"\(name)\" in \(configPath)"
                    + (known.isEmpty
                        ? "; add one with reel remote add" : " (remotes: \(known.joined(separator: ", ")))"))
        }
        return remote
    }

    /// Reads, changes and writes the config while holding its lock, so two processes editing it at once
    /// lose neither change.
    @discardableResult
    public func updateConfig(_ change: (inout LibraryConfig) throws(LibraryError) -> Void) throws(LibraryError)
        -> LibraryConfig
    {
        guard !isReadOnly else { throw .readOnly(path: root, detail: "cannot write") }
        let lock = open(configPath + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw .writeFailed(path: configPath, detail: FileSystem.lastError()) }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        var config = try config()
        try change(&config)
        try config.write(to: configPath)
        return config
    }
}
