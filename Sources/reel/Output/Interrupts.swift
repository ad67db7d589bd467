import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into cancellation of a task, so a run stops cleanly (staging cleared, run recorded
/// as cancelled) instead of dying mid-write. A second signal exits at once with the conventional code.
final class Interrupts {
    private let sources: [any DispatchSourceSignal]

    /// Starts watching; on the first signal `announce` gets a line saying so and `cancel` is called, once.
    init(announce: @escaping @Sendable (String) -> Void, cancel: @escaping @Sendable () -> Void) {
        let fired = ManagedAtomicFlag()
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if fired.setIfUnset() {
                    announce("reel: \(number == SIGINT ? "interrupted" : "terminated"), stopping…")
                    cancel()
                } else {
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}

/// A flag that can be set once, from any thread.
private final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false

    /// Sets the flag; true when this call was the one that set it.
    func setIfUnset() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if set { return false }
        set = true
        return true
    }
}
