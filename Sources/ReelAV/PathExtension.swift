/// The extension of the last component of `path`, lowercased (`"mp4"` for `out/Episode.MP4`); nil when the name has
/// none (a leading dot alone, as in `.hidden`, is not one). The container or image format of an output follows it.
func pathExtension(of path: String) -> String? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
    return name[name.index(after: dot)...].lowercased()
}
