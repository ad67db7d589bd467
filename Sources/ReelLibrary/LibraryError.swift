/// Why the library refused or failed an operation. Every case reads as one line naming what and why.
public enum LibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder exists, holds other things, and is not a Reel library.
    case notALibrary(path: String)
    /// A command that only reads found no library there (readers never create one).
    case noLibrary(path: String)
    /// A file or name the user asked to write already exists, and replacing it was not asked for.
    case exists(String)
    /// The catalog was written by a newer Reel (it has migrations this one does not know).
    case newerSchema(path: String, unknown: [String])
    /// The library cannot be written (read-only folder or file system).
    case readOnly(path: String, detail: String)
    /// Writing failed part-way (disk full, I/O error); nothing was added.
    case writeFailed(path: String, detail: String)
    /// A source file cannot be read.
    case unreadable(path: String, detail: String)
    /// No item has this id or id prefix.
    case noSuchItem(String)
    /// Several items share this id prefix.
    case ambiguousItem(String, matches: [String])
    /// The item is an input of other items; deleting it would break their lineage.
    case hasDependents(id: String, dependents: [String])
    /// The item is saved (the user asked to keep it); deleting it needs force.
    case isSaved(id: String)
    /// An item's stored copy no longer hashes to its SHA-256 (`sha256` is what it hashes to now).
    case corruptObject(id: String, path: String, sha256: String)
    /// An item's stored copy is gone.
    case missingObject(id: String, path: String)
    /// An argument cannot be used (a bad duration, an unknown kind…).
    case invalidArgument(String)
    /// Another process held the catalog's lock for longer than the wait allowed.
    case busy(path: String)
    /// The catalog file is not an SQLite database, or is damaged.
    case damagedCatalog(path: String)
    /// A write conflicts with what the catalog holds (a constraint: the same key again, an input that is gone).
    case conflict(path: String, detail: String)
    /// The catalog reported an error.
    case catalog(String)

    public var description: String {
        switch self {
        case .notALibrary(let path):
            "\(path) is not a Reel library (no catalog.sqlite and objects/ inside, and the folder is not empty)"
        case .noLibrary(let path): "no library at \(path)"
        case .exists(let what): "\(what) exists (use --force to replace it)"
        case .newerSchema(let path, let unknown):
            "\(path) was written by a newer Reel (catalog migrations \(unknown.joined(separator: ", ")) are unknown "
                + "to this one); upgrade reel"
        case .readOnly(let path, let detail): "library \(path) is read-only (\(detail))"
        case .writeFailed(let path, let detail): "could not write \(path): \(detail); nothing was added"
        case .unreadable(let path, let detail): "\(path): \(detail)"
        case .noSuchItem(let id): "no item matches \"\(id)\""
        case .ambiguousItem(let id, let matches):
            "\"\(id)\" matches \(matches.count) items (\(matches.prefix(5).joined(separator: ", "))); give more characters"
        case .hasDependents(let id, let dependents):
            "item \(id) is an input of \(dependents.joined(separator: ", ")); use --force to delete it anyway"
        case .isSaved(let id): "item \(id) is saved; use --force to delete it anyway"
        case .corruptObject(let id, let path, let sha256):
            "item \(id) (\(path)): stored copy is corrupt (sha256 \(sha256)); re-import the original or run reel "
                + "library verify"
        case .missingObject(let id, let path):
            "item \(id) (\(path)): stored copy is missing; re-import the original or run reel library verify"
        case .invalidArgument(let message): message
        case .busy(let path): "library catalog \(path) is busy (another reel process is writing); try again"
        case .damagedCatalog(let path):
            "library catalog \(path) is damaged or not an SQLite database; restore it from a backup"
        case .conflict(let path, let detail): "library catalog \(path): \(detail); nothing was changed"
        case .catalog(let message): "catalog: \(message)"
        }
    }
}
