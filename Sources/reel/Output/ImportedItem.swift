import ReelLibrary

extension IngestResult {
    /// The item as `import --json` and `fetch --json` print it: its keys plus `status`, `added` when the bytes are
    /// new to the library (or bring a deleted item back), `existing` when the same SHA-256 was already there.
    var imported: Annotated<Item, String> {
        Annotated(base: item, key: "status", value: wasDuplicate ? "existing" : "added")
    }
}
