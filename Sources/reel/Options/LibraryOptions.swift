import ArgumentParser
import ReelLibrary

/// `--library DIR`, shared by every command that uses the media library.
struct LibraryOptions: ParsableArguments {
    @Option(
        name: .customLong("library"),
        help: "The library folder (default: $REEL_LIBRARY, else $XDG_DATA_HOME/reel/library).")
    var path: String?

    /// The chosen folder.
    var location: String { path ?? Library.defaultLocation() }

    /// Opens the chosen library for a command that writes, creating it when the folder is missing or empty.
    func open() throws -> Library {
        try Library(at: location)
    }

    /// Opens the chosen library for a command that only reads: a folder with no library is an error
    /// (`no library at …`), and nothing is created.
    func openExisting() throws -> Library {
        try Library(at: location, create: false)
    }
}
