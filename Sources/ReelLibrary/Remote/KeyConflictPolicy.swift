/// What saving does when its key is taken on the remote: recorded for another item, or holding another object.
/// Nothing is ever overwritten either way.
public enum KeyConflictPolicy: String, Sendable, CaseIterable {
    /// Refuse, naming the key and what holds it (the default).
    case fail
    /// Use the key made unique for the item (``KeyTemplate/uniqueKey(_:itemID:)``); refuse only if that is taken too.
    case unique
}
