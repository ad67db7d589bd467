import Foundation

/// One step of a sync, reported as it happens.
public enum RemoteSyncEvent: Sendable {
    /// A copy was uploaded now, or confirmed to be there already.
    case saved(RemoteSaveResult)
    /// Another process is uploading this item to this remote; it is left to that process.
    case skipped(itemID: String, remote: String)
    /// A copy is still owed: `pending` copies (one, or every copy owed to a remote that cannot be used) failed.
    case failed(RemoteSaveError, pending: Int)
}

/// What a sync did.
public struct RemoteSyncReport: Sendable {
    public var saved: [RemoteSaveResult] = []
    /// Copies left to the process uploading them.
    public var skipped = 0
    /// Copies still pending or failed after the sync.
    public var stillPending = 0
}

extension Library {
    /// Retries every copy not confirmed yet (only `remote`'s when given), remote by remote in name order, and
    /// reports each step to `onEvent` as it happens. Safe from cron and from two processes at once: a copy another
    /// process is uploading is skipped. A remote whose config or credentials cannot be used leaves its copies
    /// pending.
    public func syncRemotes(
        only remote: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        onEvent: (RemoteSyncEvent) -> Void = { _ in }
    ) async throws(LibraryError) -> RemoteSyncReport {
        let pending = try pendingUploads(remote: remote)
        var report = RemoteSyncReport()
        func note(_ event: RemoteSyncEvent) {
            switch event {
            case .saved(let result): report.saved.append(result)
            case .skipped: report.skipped += 1
            case .failed(_, let count): report.stillPending += count
            }
            onEvent(event)
        }
        for name in Set(pending.map(\.remote)).sorted() {
            let saver: RemoteSaver
            do {
                saver = try RemoteSaver(library: self, remote: name, environment: environment)
            } catch {
                note(.failed(error, pending: pending.filter { $0.remote == name }.count))
                continue
            }
            for result in await saver.sync() {
                switch result {
                case .success(let saved): note(.saved(saved))
                case .failure(.busy(let itemID, let remote)): note(.skipped(itemID: itemID, remote: remote))
                case .failure(let error): note(.failed(error, pending: 1))
                }
            }
        }
        return report
    }
}
