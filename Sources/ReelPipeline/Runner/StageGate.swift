/// Lets one stage at a time work under a cache key, among runs sharing the gate (the rows of a batch): a stage
/// shared by rows (the same intro clip, the same watermark) runs once, and the rows that wait for it find it in
/// the cache.
public actor StageGate {
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    /// Waits until no other stage holds `key`, then holds it.
    func acquire(_ key: String) async {
        if held.insert(key).inserted { return }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    /// Hands `key` to the next stage waiting for it, or frees it.
    func release(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            held.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
