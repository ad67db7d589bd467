import ArgumentParser
import ReelLibrary

/// `--library DIR`, shared by every command that uses the media library.
struct LibraryOptions: ParsableArguments {
    @Option(
        name: .customLong("library"),
        help: "The library folder (default: $REEL_LIBRARY, else $XDG_DATA_HOME/reel/library).")
    var path: String?

    /// The chosen library's folder.
    var location: String { path ?? Library.defaultLocation() }

    /// Opens (creating if needed) the chosen library.
    func open() throws -> Library {
        try Library(at: location)
    }
}
